// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the fork ring, included at the end of tracer_forks.c when
 * built with TRACER_KUNIT=1 (src/Kbuild says why). Each case has a ring of
 * its own, of four slots, and plays the creations and the reader in the
 * order it wants: a creation takes its sequence number as fork_return()
 * does, and writes it later, when the case says. The module's ring is
 * never touched. A record is told by its time, 1000 * its number.
 */
#include <kunit/test.h>

#define FK_SLOTS 4

static int forks_kunit_init(struct kunit *test)
{
	struct fork_ring *fr = kunit_kzalloc(test, sizeof(*fr), GFP_KERNEL);

	if (!fr || fork_ring_init(fr, FK_SLOTS))
		return -ENOMEM;
	test->priv = fr;
	return 0;
}

static void forks_kunit_exit(struct kunit *test)
{
	struct fork_ring *fr = test->priv;

	kvfree(fr->slots);
}

/* Creations @from..@to take their sequence numbers. */
static void fk_take(struct kunit *test, u64 from, u64 to)
{
	struct fork_ring *fr = test->priv;

	for (; from <= to; from++)
		KUNIT_ASSERT_EQ(test, atomic64_inc_return(&fr->last),
				(s64)from);
}

/* Creations @from..@to, numbers taken, write their records. */
static void fk_write(struct kunit *test, u64 from, u64 to)
{
	struct fork_entry e = { .exit_signal = SIGCHLD };

	for (; from <= to; from++) {
		e.time_ns = 1000 * from;
		fork_write(test->priv, from, &e, -EAGAIN);
	}
}

/* A read at @pos gives record @seq (0: none, the read stops) and moves to @at. */
static void fk_expect(struct kunit *test, loff_t pos, u64 seq, loff_t at)
{
	struct fork_record out;
	struct fork_record *r = fork_copy(test->priv, &pos, &out);

	KUNIT_EXPECT_EQ(test, pos, at);
	if (!seq) {
		KUNIT_EXPECT_NULL(test, r);
		return;
	}
	KUNIT_ASSERT_PTR_EQ(test, r, &out);
	KUNIT_EXPECT_EQ(test, r->seq, seq);
	KUNIT_EXPECT_EQ(test, r->time_ns, 1000 * seq);
	KUNIT_EXPECT_EQ(test, r->ret, -EAGAIN);
	KUNIT_EXPECT_EQ(test, r->exit_signal, SIGCHLD);
	KUNIT_EXPECT_EQ(test, r->child_ns, 0U);
	KUNIT_EXPECT_EQ(test, r->pid, task_pid_vnr(current));
}

static void forks_in_order(struct kunit *test)
{
	struct fork_ring *fr = test->priv;

	fk_take(test, 1, 3);
	fk_write(test, 1, 3);
	KUNIT_EXPECT_EQ(test, fork_overwritten(fr, 3), 0ULL);
	fk_expect(test, 1, 1, 1);
	fk_expect(test, 3, 3, 3);
	fk_expect(test, 4, 0, 4);
	/* Position 0 is the header's: a read of records starts at 1. */
	fk_expect(test, 0, 1, 1);
	fk_take(test, 4, 4);
	fk_write(test, 4, 4);
	KUNIT_EXPECT_EQ(test, fork_overwritten(fr, 4), 0ULL);
	fk_expect(test, 4, 4, 4);
}

/*
 * Creation 1 is still writing when creation 5, a lap later, takes its
 * slot: 1 finds the newer record and drops its own, which counts as
 * overwritten; 5 stays.
 */
static void forks_wrap_during_write(struct kunit *test)
{
	struct fork_ring *fr = test->priv;

	fk_take(test, 1, 5);
	fk_write(test, 2, 5);
	fk_write(test, 1, 1);
	KUNIT_EXPECT_EQ(test, fr->slots[1 & fr->mask].rec.seq, 5ULL);
	KUNIT_EXPECT_EQ(test, fr->slots[1 & fr->mask].rec.time_ns, 5000ULL);
	KUNIT_EXPECT_EQ(test, fork_overwritten(fr, 5), 1ULL);
	fk_expect(test, 1, 2, 2);
	fk_expect(test, 5, 5, 5);
	fk_expect(test, 6, 0, 6);
}

/* A reader whose next record was overwritten goes on at the oldest kept. */
static void forks_reader_overtaken(struct kunit *test)
{
	struct fork_ring *fr = test->priv;

	fk_take(test, 1, 3);
	fk_write(test, 1, 3);
	fk_expect(test, 1, 1, 1);
	/* Six more creations before it reads on at 2. */
	fk_take(test, 4, 9);
	fk_write(test, 4, 9);
	KUNIT_EXPECT_EQ(test, fork_overwritten(fr, 9), 5ULL);
	fk_expect(test, 2, 6, 6);
	fk_expect(test, 9, 9, 9);
	fk_expect(test, 10, 0, 10);
}

/*
 * A record still being written stops the read there (the slot holds an
 * older one, or none): a later read resumes at it, so none is skipped.
 */
static void forks_write_in_progress(struct kunit *test)
{
	fk_take(test, 1, 2);
	fk_write(test, 2, 2);
	fk_expect(test, 1, 0, 1);
	fk_write(test, 1, 1);
	fk_expect(test, 1, 1, 1);
	fk_expect(test, 2, 2, 2);
	/* A lap later, creation 5 finds record 1 in its slot. */
	fk_take(test, 3, 6);
	fk_write(test, 3, 4);
	fk_write(test, 6, 6);
	fk_expect(test, 4, 4, 4);
	fk_expect(test, 5, 0, 5);
	fk_write(test, 5, 5);
	fk_expect(test, 5, 5, 5);
	fk_expect(test, 6, 6, 6);
}

static struct kunit_case forks_kunit_cases[] = {
	KUNIT_CASE(forks_in_order),
	KUNIT_CASE(forks_wrap_during_write),
	KUNIT_CASE(forks_reader_overtaken),
	KUNIT_CASE(forks_write_in_progress),
	{}
};

static struct kunit_suite forks_kunit_suite = {
	.name = "tracer-forks",
	.init = forks_kunit_init,
	.exit = forks_kunit_exit,
	.test_cases = forks_kunit_cases,
};

kunit_test_suite(forks_kunit_suite);
