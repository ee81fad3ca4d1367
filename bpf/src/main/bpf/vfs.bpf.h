/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * VFS latency and return codes: fentry stamps the start, fexit measures it.
 * File system calls run in the calling task from start to end, so the key is
 * (thread, hooked function): one function may call another hooked one
 * (cifs_atomic_open -> cifs_lookup, nfs_file_fsync -> nfs_writepages).
 */
#ifndef __VFS_BPF_H
#define __VFS_BPF_H

#include "aod_maps.bpf.h"
#include "aod_vfs_ops.h"
#include <bpf/bpf_core_read.h>

#define VFS_INFLIGHT_MAX	16384

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VFS_INFLIGHT_MAX);
	__type(key, __u64);
	__type(value, __u64);
} vfs_starts SEC(".maps");

static __always_inline __u64 vfs_key(__u32 function)
{
	return (bpf_get_current_pid_tgid() << 32) | function;
}

static __always_inline int vfs_enter(__u8 probe, __u32 function)
{
	__u64 key = vfs_key(function);
	__u64 now = bpf_ktime_get_ns();

	if (bpf_map_update_elem(&vfs_starts, &key, &now, BPF_ANY))
		count_drop(probe, AOD_DROP_INFLIGHT_FULL);
	return 0;
}

/*
 * The call's event when it failed or was slow, reserved and filled but for
 * dev and request_id (the inode), which the caller reads only then and
 * submits; NULL when nothing crosses.
 */
static __always_inline struct aod_event *vfs_exit(__u8 source, __u8 probe,
						  __u32 function, __u16 op,
						  long rc)
{
	__u64 key = vfs_key(function);
	__u64 *start, now, latency;
	struct aod_issuer who;
	struct aod_event *e;
	bool failed;

	start = bpf_map_lookup_elem(&vfs_starts, &key);
	if (!start)
		return NULL;
	now = bpf_ktime_get_ns();
	latency = now - *start;
	bpf_map_delete_elem(&vfs_starts, &key);

	failed = is_errno(rc);
	if (!failed && !is_slow(source, op, latency))
		return NULL;
	e = event_reserve(probe);
	if (!e)
		return NULL;
	issuer_current(&who);
	e->ts_ns = now;
	e->latency_ns = latency;
	event_set_issuer(e, &who);
	e->error = failed ? rc : 0;
	e->aux = function;
	e->command = op;
	e->source = source;
	e->kind = failed ? AOD_KIND_ERROR : AOD_KIND_SLOW;
	return e;
}

static __always_inline void vfs_submit(struct aod_event *e, struct inode *inode)
{
	if (inode) {
		e->dev = BPF_CORE_READ(inode, i_sb, s_dev);
		e->request_id = BPF_CORE_READ(inode, i_ino);
	}
	event_submit(e);
}

/* How the hooked functions' arguments (ctx[i]) lead to the inode concerned. */
#define INODE_ARG(i)	((struct inode *)ctx[i])
#define FILE_ARG(i)	BPF_CORE_READ((struct file *)ctx[i], f_inode)
#define KIOCB_ARG(i)	BPF_CORE_READ((struct kiocb *)ctx[i], ki_filp, f_inode)
#define DENTRY_ARG(i)	BPF_CORE_READ((struct dentry *)ctx[i], d_inode)
#define PATH_ARG(i)	BPF_CORE_READ((struct path *)ctx[i], dentry, d_inode)
#define FOLIO_ARG(i)	BPF_CORE_READ((struct folio *)ctx[i], mapping, host)
#define PAGE_ARG(i)	BPF_CORE_READ((struct page *)ctx[i], mapping, host)
#define MAPPING_ARG(i)	BPF_CORE_READ((struct address_space *)ctx[i], host)
#define RAC_ARG(i)	BPF_CORE_READ((struct readahead_control *)ctx[i], mapping, host)

/* Its return value (after the arguments) as a long; errors are -4095..-1. */
#define RET_INT(n)	((long)(int)ctx[n])
#define RET_LONG(n)	((long)ctx[n])
#define RET_PTR(n)	((long)ctx[n])
#define NO_RET		0L

/*
 * One fentry and one fexit program per hooked function, named after it. The
 * function list of a probe (<probe>_functions.h) expands this once into an
 * enum (the function ids) and once into the programs.
 */
#define VFS_PROGRAMS(prefix, source, probe, fn, op, inode_expr, ret_expr)	\
SEC("fentry/" #fn)								\
int prefix##e_##fn(unsigned long long *ctx)					\
{										\
	return vfs_enter(probe, prefix##fn_##fn);				\
}										\
SEC("fexit/" #fn)								\
int prefix##x_##fn(unsigned long long *ctx)					\
{										\
	struct aod_event *e;							\
										\
	e = vfs_exit(source, probe, prefix##fn_##fn, op, ret_expr);		\
	if (e)									\
		vfs_submit(e, inode_expr);					\
	VFS_AFTER_EXIT(op, inode_expr);						\
	return 0;								\
}

#endif /* __VFS_BPF_H */
