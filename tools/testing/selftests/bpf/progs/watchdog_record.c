// SPDX-License-Identifier: GPL-2.0
/*
 * BPF watchdog selftests: the held-resource record is exact.
 *
 * Each program acquires something, checks from inside the run that the
 * record holds exactly that (kind and address, newest first), releases it
 * and checks that the record no longer does.  A non-zero return value names
 * the check that failed.
 */
#include <vmlinux.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"
#include "bpf_experimental.h"
#include "watchdog_common.h"

struct spin_elem {
	struct bpf_spin_lock lock;
	int value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct spin_elem);
} spin_map SEC(".maps");

struct res_elem {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct res_elem);
} res_map SEC(".maps");

struct obj {
	int value;
};

SEC("syscall")
__success __retval(0)
int record_starts_empty(void *ctx)
{
	if (bpf_watchdog_held_count() != 0)
		return 1;
	if (bpf_watchdog_run_flags() != 0)
		return 2;
	if (bpf_watchdog_kind("no such kind") >= 0)
		return 3;
	return 0;
}

/*
 * Memory cgroup references: the root cgroup's memcg (bpf_get_mem_cgroup()
 * of its css, under a cgroup reference) and the root memcg, released out
 * of order.
 */
SEC("syscall")
__success __retval(0)
int record_memcg_refs(void *ctx)
{
	int memcg = bpf_watchdog_kind("memcg");
	int cgroup = bpf_watchdog_kind("cgroup");
	struct mem_cgroup *m, *root;
	struct cgroup *cg;
	int ret = 0;

	if (memcg <= 0 || cgroup <= 0)
		return 1;
	cg = bpf_cgroup_from_id(1);
	if (!cg)
		return 2;
	m = bpf_get_mem_cgroup(&cg->self);
	if (!m) {
		bpf_cgroup_release(cg);
		return 3;
	}
	root = bpf_get_root_mem_cgroup();
	if (!root) {
		bpf_put_mem_cgroup(m);
		bpf_cgroup_release(cg);
		return 4;
	}
	if (bpf_watchdog_held_count() != 3 || !held_at(0, memcg, (__u64)root) ||
	    !held_at(1, memcg, (__u64)m) || !held_at(2, cgroup, (__u64)cg))
		ret = 5;
	/* The oldest first: the memcg references stay. */
	bpf_cgroup_release(cg);
	if (!ret && (bpf_watchdog_held_count() != 2 || !held_at(0, memcg, (__u64)root)))
		ret = 6;
	bpf_put_mem_cgroup(m);
	if (!ret && bpf_watchdog_held_count() != 1)
		ret = 7;
	bpf_put_mem_cgroup(root);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 8;
	return ret;
}

/*
 * Kernel socket references: one bpf_ksock_create() makes, and a second to
 * the same socket from bpf_ksock_acquire(), released in the order taken.
 */
SEC("syscall")
__success __retval(0)
int record_ksock_refs(void *ctx)
{
	struct bpf_ksock_create_opts opts = {
		.family = 2,	/* AF_INET */
		.type = SOCK_DGRAM,
		.protocol = IPPROTO_UDP,
	};
	int ksock = bpf_watchdog_kind("ksock");
	struct bpf_ksock *ks, *ks2;
	int err = 0, ret = 0;

	if (ksock <= 0)
		return 1;
	ks = bpf_ksock_create(&opts, sizeof(opts), &err);
	if (!ks)
		return 2;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, ksock, (__u64)ks))
		ret = 3;
	ks2 = bpf_ksock_acquire(ks);
	if (!ks2) {
		bpf_ksock_release(ks);
		return 4;
	}
	if (!ret && (bpf_watchdog_held_count() != 2 || !held_at(0, ksock, (__u64)ks2) ||
		     !held_at(1, ksock, (__u64)ks)))
		ret = 5;
	bpf_ksock_release(ks);
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, ksock, (__u64)ks2)))
		ret = 6;
	bpf_ksock_release(ks2);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 7;
	return ret;
}

/*
 * Crypto context references: one bpf_crypto_ctx_create() makes, and a
 * second from bpf_crypto_ctx_acquire(), released in the order taken.
 */
SEC("syscall")
__success __retval(0)
int record_crypto_ctx_refs(void *ctx)
{
	struct bpf_crypto_params params = {
		.type = "skcipher",
		.algo = "ecb(aes)",
		.key_len = 16,
	};
	int crypto = bpf_watchdog_kind("crypto_ctx");
	struct bpf_crypto_ctx *c, *c2;
	int err = 0, ret = 0;

	if (crypto <= 0)
		return 1;
	c = bpf_crypto_ctx_create(&params, sizeof(params), &err);
	if (!c)
		return 2;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, crypto, (__u64)c))
		ret = 3;
	c2 = bpf_crypto_ctx_acquire(c);
	if (!c2) {
		bpf_crypto_ctx_release(c);
		return 4;
	}
	if (!ret && (bpf_watchdog_held_count() != 2 || !held_at(0, crypto, (__u64)c2) ||
		     !held_at(1, crypto, (__u64)c)))
		ret = 5;
	bpf_crypto_ctx_release(c);
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, crypto, (__u64)c2)))
		ret = 6;
	bpf_crypto_ctx_release(c2);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 7;
	return ret;
}

SEC("syscall")
__success __retval(0)
int record_task_ref(void *ctx)
{
	int task = bpf_watchdog_kind("task");
	struct task_struct *t;

	if (task <= 0)
		return 1;
	t = bpf_task_from_pid(1);
	if (!t)
		return 2;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, task, (__u64)t)) {
		bpf_task_release(t);
		return 3;
	}
	bpf_task_release(t);
	if (bpf_watchdog_held_count() != 0)
		return 4;
	return 0;
}

SEC("syscall")
__success __retval(0)
int record_non_lifo_release(void *ctx)
{
	int task = bpf_watchdog_kind("task"), cpumask = bpf_watchdog_kind("cpumask");
	struct bpf_cpumask *m;
	struct task_struct *t;
	int ret = 0;

	t = bpf_task_from_pid(1);
	if (!t)
		return 1;
	m = bpf_cpumask_create();
	if (!m) {
		bpf_task_release(t);
		return 2;
	}
	if (!held_at(0, cpumask, (__u64)m) || !held_at(1, task, (__u64)t))
		ret = 3;
	/* The older one goes first. */
	bpf_task_release(t);
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, cpumask, (__u64)m)))
		ret = 4;
	bpf_cpumask_release(m);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 5;
	return ret;
}

SEC("syscall")
__success __retval(0)
int record_context_locks(void *ctx)
{
	int rcu = bpf_watchdog_kind("rcu_read_lock");
	int preempt = bpf_watchdog_kind("preempt_disable");
	int irq = bpf_watchdog_kind("local_irq_save");
	unsigned long flags;
	int ret = 0;

	bpf_rcu_read_lock();
	bpf_preempt_disable();
	bpf_local_irq_save(&flags);
	if (bpf_watchdog_held_count() != 3 || !held_at(0, irq, (__u64)&flags) ||
	    !held_at(1, preempt, 0) || !held_at(2, rcu, 0))
		ret = 1;
	bpf_local_irq_restore(&flags);
	bpf_preempt_enable();
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, rcu, 0)))
		ret = 2;
	bpf_rcu_read_unlock();
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 3;
	return ret;
}

SEC("syscall")
__success __retval(0)
int record_bpf_spin_lock(void *ctx)
{
	int kind = bpf_watchdog_kind("spin_lock");
	struct spin_elem *e;
	int key = 0, ret = 0;

	e = bpf_map_lookup_elem(&spin_map, &key);
	if (!e)
		return 1;
	bpf_spin_lock(&e->lock);
	if (bpf_watchdog_held_count() != 1 || !held_at(0, kind, (__u64)&e->lock))
		ret = 2;
	bpf_spin_unlock(&e->lock);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 3;
	return ret;
}

SEC("syscall")
__success __retval(0)
int record_res_spin_lock(void *ctx)
{
	int plain = bpf_watchdog_kind("res_spin_lock");
	int irqsave = bpf_watchdog_kind("res_spin_lock_irqsave");
	unsigned long flags;
	struct res_elem *e;
	int key = 0, ret = 0;

	e = bpf_map_lookup_elem(&res_map, &key);
	if (!e)
		return 1;
	if (bpf_res_spin_lock(&e->lock))
		return 2;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, plain, (__u64)&e->lock))
		ret = 3;
	bpf_res_spin_unlock(&e->lock);
	if (ret)
		return ret;
	if (bpf_res_spin_lock_irqsave(&e->lock, &flags))
		return 4;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, irqsave, (__u64)&e->lock))
		ret = 5;
	bpf_res_spin_unlock_irqrestore(&e->lock, &flags);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 6;
	return ret;
}

SEC("syscall")
__success __retval(0)
int record_iterator(void *ctx)
{
	int kind = bpf_watchdog_kind("iter_bits");
	struct bpf_iter_bits it;
	__u64 bits = 0x5;
	int ret = 0, *bit;

	bpf_iter_bits_new(&it, &bits, 1);
	if (bpf_watchdog_held_count() != 1 || !held_at(0, kind, (__u64)&it))
		ret = 1;
	/* The record does not get in the iterator's way. */
	bit = bpf_iter_bits_next(&it);
	if (!ret && (!bit || *bit != 0))
		ret = 2;
	bpf_iter_bits_destroy(&it);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 3;
	return ret;
}

/* What record_iter_num_chunks() saw: in globals, which the verifier does
 * not track from one iteration to the next.
 */
long iter_n, iter_sum, iter_bad;

/*
 * A bpf_iter_num loop longer than a chunk (128) is cut into chunks: while
 * it is in one before its last, the record holds its real end (kind
 * "iter_num", at the iterator); its last chunk, its end and a break leave
 * the record empty, and every value comes once.
 */
SEC("syscall")
__success __retval(0)
int record_iter_num_chunks(void *ctx)
{
	int kind = bpf_watchdog_kind("iter_num");
	struct bpf_iter_num it;
	int *v, ret = 0;

	/* Chunks end at -256, -128, 0, ..., 896; the last is [896, 1000). */
	iter_n = iter_sum = iter_bad = 0;
	bpf_iter_num_new(&it, -300, 1000);
	while ((v = bpf_iter_num_next(&it))) {
		iter_n++;
		iter_sum += *v;
		if (*v == 500 && (bpf_watchdog_held_count() != 1 ||
				  !held_at(0, kind, (__u64)&it)))
			iter_bad |= 1;
		if (*v == 950 && bpf_watchdog_held_count() != 0)
			iter_bad |= 2;
	}
	bpf_iter_num_destroy(&it);
	if (iter_bad)
		return iter_bad;
	/* sum(-300 .. 999) = 1300 * 699 / 2 */
	if (iter_n != 1300 || iter_sum != 1300L * 699 / 2)
		return 4;
	if (bpf_watchdog_held_count() != 0)
		return 5;

	/* Left in a chunk before its last: destroy drops the entry. */
	bpf_iter_num_new(&it, 0, 100000);
	while ((v = bpf_iter_num_next(&it)))
		if (*v == 1000)
			break;
	if (bpf_watchdog_held_count() != 1)
		ret = 6;
	bpf_iter_num_destroy(&it);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 7;
	if (ret)
		return ret;

	/* A range of one chunk, ending on a multiple of it: no entry. */
	iter_n = iter_sum = 0;
	bpf_iter_num_new(&it, 128, 256);
	while ((v = bpf_iter_num_next(&it))) {
		iter_n++;
		iter_sum += *v;
		if (bpf_watchdog_held_count() != 0)
			iter_bad |= 8;
	}
	bpf_iter_num_destroy(&it);
	if (iter_bad || iter_n != 128 || iter_sum != 128L * (128 + 255) / 2)
		return 9;

	/* Up to the largest int: the chunks' ends do not overflow. */
	iter_n = 0;
	bpf_iter_num_new(&it, 0x7fffffff - 1000, 0x7fffffff);
	while ((v = bpf_iter_num_next(&it)))
		iter_n++;
	bpf_iter_num_destroy(&it);
	if (iter_n != 1000 || bpf_watchdog_held_count() != 0)
		return 10;
	return 0;
}

SEC("syscall")
__success __retval(0)
int record_obj_new(void *ctx)
{
	int kind = bpf_watchdog_kind("obj");
	struct obj *o;
	int ret = 0;

	o = bpf_obj_new(typeof(*o));
	if (!o)
		return 1;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, kind, (__u64)o))
		ret = 2;
	bpf_obj_drop(o);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 3;
	return ret;
}

struct lnode {
	long data;
	struct bpf_list_node node;
};

struct rnode {
	long data;
	struct bpf_rb_node node;
};

private(G) struct bpf_spin_lock glock;
private(G) struct bpf_list_head glist __contains(lnode, node);
private(G) struct bpf_rb_root gtree __contains(rnode, node);

static bool rless(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return container_of(a, struct rnode, node)->data <
	       container_of(b, struct rnode, node)->data;
}

/*
 * An object pushed into a list or an rbtree leaves the record; popping or
 * removing it gives it back to the run, recorded as an object at the
 * object's address (the nodes are 8 bytes in), and bpf_obj_drop() takes it
 * off again.
 */
SEC("syscall")
__success __retval(0)
int record_graph_node_taken_back(void *ctx)
{
	int kind = bpf_watchdog_kind("obj");
	struct bpf_list_node *ln;
	struct bpf_rb_node *rn;
	struct lnode *l;
	struct rnode *r;
	int ret = 0;

	if (kind <= 0)
		return 1;
	l = bpf_obj_new(typeof(*l));
	if (!l)
		return 1;
	r = bpf_obj_new(typeof(*r));
	if (!r) {
		bpf_obj_drop(l);
		return 1;
	}
	bpf_spin_lock(&glock);
	bpf_list_push_front(&glist, &l->node);
	bpf_rbtree_add(&gtree, &r->node, rless);
	bpf_spin_unlock(&glock);
	if (bpf_watchdog_held_count() != 0)
		ret = 2;

	bpf_spin_lock(&glock);
	ln = bpf_list_pop_front(&glist);
	rn = bpf_rbtree_first(&gtree);
	if (rn)
		rn = bpf_rbtree_remove(&gtree, rn);
	bpf_spin_unlock(&glock);
	if (!ln || !rn) {
		ret = 3;
	} else if (!ret) {
		l = container_of(ln, struct lnode, node);
		r = container_of(rn, struct rnode, node);
		/* Newest first: the tree's object, then the list's. */
		if (bpf_watchdog_held_count() != 2 || !held_at(0, kind, (__u64)r) ||
		    !held_at(1, kind, (__u64)l))
			ret = 4;
	}
	if (ln)
		bpf_obj_drop(container_of(ln, struct lnode, node));
	if (rn)
		bpf_obj_drop(container_of(rn, struct rnode, node));
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 5;
	return ret;
}

struct kptr_elem {
	struct task_struct __kptr *task;
	struct obj __kptr *obj;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct kptr_elem);
} kptr_map SEC(".maps");

/*
 * What goes into a map with bpf_kptr_xchg() leaves the record; what comes
 * back out (a kernel object or an allocated one) is the run's again, and
 * its own release function takes it off.
 */
SEC("syscall")
__success __retval(0)
int record_kptr_taken_back(void *ctx)
{
	int kptr = bpf_watchdog_kind("kptr");
	struct task_struct *t, *old;
	struct kptr_elem *e;
	struct obj *o;
	int key = 0, ret = 0;

	e = bpf_map_lookup_elem(&kptr_map, &key);
	if (!e || kptr <= 0)
		return 1;
	t = bpf_task_from_pid(1);
	if (!t)
		return 2;
	old = bpf_kptr_xchg(&e->task, t);
	if (old)
		bpf_task_release(old);
	if (bpf_watchdog_held_count() != 0)
		ret = 3;
	t = bpf_kptr_xchg(&e->task, NULL);
	if (!t)
		return 4;
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, kptr, (__u64)t)))
		ret = 5;
	bpf_task_release(t);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 6;

	o = bpf_obj_new(typeof(*o));
	if (!o)
		return 7;
	o = bpf_kptr_xchg(&e->obj, o);
	if (o)
		bpf_obj_drop(o);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 8;
	o = bpf_kptr_xchg(&e->obj, NULL);
	if (!o)
		return 9;
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, kptr, (__u64)o)))
		ret = 10;
	bpf_obj_drop(o);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 11;
	return ret;
}

/*
 * One more entry than the record has: the run is marked unkillable, keeps
 * the entries that fit, and every release still balances.
 */
SEC("syscall")
__success __retval(0)
int record_full(void *ctx)
{
	int ret = 0;

	DISABLE16();
	DISABLE16();
	DISABLE16();
	DISABLE16();
	if (bpf_watchdog_held_count() != BPF_WD_NR_ENTRIES)
		ret = 1;
	else if (!(bpf_watchdog_run_flags() & BPF_WD_RUN_UNKILLABLE))
		ret = 2;
	ENABLE16();
	ENABLE16();
	ENABLE16();
	ENABLE16();
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 3;
	return ret;
}

/*
 * A new conntrack entry ("ct_new"), then what bpf_ct_insert_entry() makes
 * of it: the same object, now a reference to an entry of the table ("ct").
 * The insertion consumes the new entry, whose record entry goes with it.
 */
SEC("tc")
__success __retval(0)
int record_ct_insert(struct __sk_buff *skb)
{
	struct bpf_ct_opts opts = { .netns_id = -1, .l4proto = IPPROTO_UDP };
	int ct = bpf_watchdog_kind("ct"), ct_new = bpf_watchdog_kind("ct_new");
	struct bpf_sock_tuple t = {};
	struct nf_conn___init *n;
	struct nf_conn *c;
	int ret = 0;

	if (!bpf_ksym_exists(bpf_skb_ct_alloc))
		return 0;
	if (ct <= 0 || ct_new <= 0)
		return 1;
	t.ipv4.saddr = bpf_htonl(0x0a090001);
	t.ipv4.daddr = bpf_htonl(0x0a090002);
	t.ipv4.sport = bpf_htons(bpf_get_prandom_u32() | 1024);
	t.ipv4.dport = bpf_htons(53);
	n = bpf_skb_ct_alloc(skb, &t, sizeof(t.ipv4), &opts, sizeof(opts));
	if (!n)
		return 2;
	if (bpf_watchdog_held_count() != 1 || !held_at(0, ct_new, (__u64)n))
		ret = 3;
	/* Gone soon: the entry stays in this netns's table for 1 s. */
	bpf_ct_set_timeout(n, 1000);
	c = bpf_ct_insert_entry(n);
	if (!c)
		return ret ?: 4;
	if (!ret && (bpf_watchdog_held_count() != 1 || !held_at(0, ct, (__u64)c)))
		ret = 5;
	bpf_ct_release(c);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 6;
	return ret;
}

/* The wakeup sources' SRCU read lock, taken twice (its index, twice). */
SEC("syscall")
__success __retval(0)
int record_wakeup_srcu(void *ctx)
{
	int srcu = bpf_watchdog_kind("wakeup_srcu");
	struct bpf_ws_lock *a, *b;
	int ret = 0;

	if (!bpf_ksym_exists(bpf_wakeup_sources_read_lock))
		return 0;
	if (srcu <= 0)
		return 1;
	a = bpf_wakeup_sources_read_lock();
	b = bpf_wakeup_sources_read_lock();
	if (bpf_watchdog_held_count() != 2 || !held_at(0, srcu, (__u64)b) ||
	    !held_at(1, srcu, (__u64)a))
		ret = 2;
	/* Not LIFO: a and b may hold the same index, which is fine. */
	bpf_wakeup_sources_read_unlock(a);
	if (!ret && bpf_watchdog_held_count() != 1)
		ret = 3;
	bpf_wakeup_sources_read_unlock(b);
	if (!ret && bpf_watchdog_held_count() != 0)
		ret = 4;
	return ret;
}

char _license[] SEC("license") = "GPL";
