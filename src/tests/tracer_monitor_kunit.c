// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of a monitor's record queue, included at the end of
 * tracer_monitor.c when built with TRACER_KUNIT=1 (src/Kbuild says why).
 * Each case has a monitor of its own, queue pages included, holding
 * monitor_queue records (the module parameter, only read); no watch, no
 * file. A record is told by its target, its time 1000 * target.
 */
#include <kunit/test.h>

static int monitor_kunit_init(struct kunit *test)
{
	struct tracer_monitor *mon = kunit_kzalloc(test, sizeof(*mon),
						   GFP_KERNEL);
	unsigned int i;

	if (!mon)
		return -ENOMEM;
	spin_lock_init(&mon->lock);
	init_waitqueue_head(&mon->wait);
	mon->queue = kunit_kcalloc(test, queue_pages(), sizeof(*mon->queue),
				   GFP_KERNEL);
	if (!mon->queue)
		return -ENOMEM;
	for (i = 0; i < queue_pages(); i++) {
		mon->queue[i] = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
		if (!mon->queue[i])
			return -ENOMEM;
	}
	test->priv = mon;
	return 0;
}

/* Events @from..@to happen; as notify() does, under the queue's lock. */
static void mk_push(struct tracer_monitor *mon, s32 from, s32 to)
{
	struct tracer_event e = { .kind = TRACER_EV_FORK };

	for (; from <= to; from++) {
		e.target = from;
		e.time_ns = 1000ULL * from;
		spin_lock(&mon->lock);
		queue_push(mon, &e);
		spin_unlock(&mon->lock);
	}
}

/* The next record read is event @target, or (@target 0) a LOST of @lost. */
static void mk_read(struct kunit *test, s32 target, u64 lost, u64 time_ns)
{
	struct tracer_monitor *mon = test->priv;
	struct tracer_event e, again;

	KUNIT_ASSERT_TRUE(test, queue_peek(mon, &e));
	/* A peek does not take. */
	KUNIT_ASSERT_TRUE(test, queue_peek(mon, &again));
	KUNIT_EXPECT_EQ(test, memcmp(&e, &again, sizeof(e)), 0);
	KUNIT_EXPECT_EQ(test, e.kind, target ? TRACER_EV_FORK : TRACER_EV_LOST);
	KUNIT_EXPECT_EQ(test, e.target, target);
	KUNIT_EXPECT_EQ(test, e.lost, lost);
	KUNIT_EXPECT_EQ(test, e.time_ns, time_ns);
	queue_take(mon, &e);
}

/* Events @from..@to are read, in order. */
static void mk_read_events(struct kunit *test, s32 from, s32 to)
{
	for (; from <= to; from++)
		mk_read(test, from, 0, 1000ULL * from);
}

static void mk_expect_empty(struct kunit *test)
{
	struct tracer_monitor *mon = test->priv;
	struct tracer_event e;

	KUNIT_EXPECT_FALSE(test, queue_peek(mon, &e));
	KUNIT_EXPECT_EQ(test, mon->len, 0U);
	KUNIT_EXPECT_EQ(test, mon->lost, 0ULL);
	KUNIT_EXPECT_FALSE(test, monitor_ready(mon));
}

static void monitor_push_peek_take(struct kunit *test)
{
	struct tracer_monitor *mon = test->priv;

	mk_expect_empty(test);
	mk_push(mon, 1, 3);
	KUNIT_EXPECT_EQ(test, mon->len, 3U);
	KUNIT_EXPECT_TRUE(test, monitor_ready(mon));
	mk_read_events(test, 1, 3);
	mk_expect_empty(test);
	KUNIT_EXPECT_EQ(test, mon->head, 3U);
}

/* Records go on at the queue's first slot after its last. */
static void monitor_wrap(struct kunit *test)
{
	struct tracer_monitor *mon = test->priv;
	s32 n = monitor_queue;

	mk_push(mon, 1, n - 1);
	mk_read_events(test, 1, n - 1);
	KUNIT_EXPECT_EQ(test, mon->head, monitor_queue - 1);
	mk_push(mon, n, n + 1);
	mk_read_events(test, n, n + 1);
	KUNIT_EXPECT_EQ(test, mon->head, 1U);
	mk_expect_empty(test);
}

/*
 * A full queue drops and counts; the loss is told in the place of what
 * was dropped, by a LOST record queued once two slots are free.
 */
static void monitor_overflow(struct kunit *test)
{
	struct tracer_monitor *mon = test->priv;
	s32 n = monitor_queue;

	mk_push(mon, 1, n + 3);
	KUNIT_EXPECT_EQ(test, mon->len, monitor_queue);
	KUNIT_EXPECT_EQ(test, mon->lost, 3ULL);
	KUNIT_EXPECT_EQ(test, mon->lost_ns, 1000ULL * (n + 3));
	/* One slot free: no room for the LOST record and an event. */
	mk_read_events(test, 1, 1);
	mk_push(mon, n + 4, n + 4);
	KUNIT_EXPECT_EQ(test, mon->len, monitor_queue - 1);
	KUNIT_EXPECT_EQ(test, mon->lost, 4ULL);
	mk_read_events(test, 2, 2);
	mk_push(mon, n + 5, n + 5);
	KUNIT_EXPECT_EQ(test, mon->len, monitor_queue);
	KUNIT_EXPECT_EQ(test, mon->lost, 0ULL);
	mk_read_events(test, 3, n);
	/* Timed as the first event after the loss. */
	mk_read(test, 0, 4, 1000ULL * (n + 5));
	mk_read_events(test, n + 5, n + 5);
	mk_expect_empty(test);
}

/*
 * A loss after everything queued is read last, from the count; one that
 * happens between the read's peek and take is left for the next read.
 */
static void monitor_lost_last(struct kunit *test)
{
	struct tracer_monitor *mon = test->priv;
	struct tracer_event e;
	s32 n = monitor_queue;

	mk_push(mon, 1, n + 2);
	mk_read_events(test, 1, n);
	KUNIT_ASSERT_TRUE(test, queue_peek(mon, &e));
	KUNIT_EXPECT_EQ(test, e.kind, TRACER_EV_LOST);
	KUNIT_EXPECT_EQ(test, e.lost, 2ULL);
	KUNIT_EXPECT_EQ(test, e.time_ns, 1000ULL * (n + 2));
	mon_lose(mon);
	queue_take(mon, &e);
	KUNIT_EXPECT_EQ(test, mon->lost, 1ULL);
	KUNIT_EXPECT_EQ(test, mon->len, 0U);
	KUNIT_EXPECT_TRUE(test, monitor_ready(mon));
	mk_read(test, 0, 1, mon->lost_ns);
	mk_expect_empty(test);
}

static struct kunit_case monitor_kunit_cases[] = {
	KUNIT_CASE(monitor_push_peek_take),
	KUNIT_CASE(monitor_wrap),
	KUNIT_CASE(monitor_overflow),
	KUNIT_CASE(monitor_lost_last),
	{}
};

static struct kunit_suite monitor_kunit_suite = {
	.name = "tracer-monitor",
	.init = monitor_kunit_init,
	.test_cases = monitor_kunit_cases,
};

kunit_test_suite(monitor_kunit_suite);
