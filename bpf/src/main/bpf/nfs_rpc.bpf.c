// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nfs-rpc: NFS RPC latency and errors per procedure, from the sunrpc tracepoints. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "nfs_rpc.bpf.h"

/* (const struct rpc_task *task, const void *action) */
SEC("tp_btf/rpc_task_begin")
int nfsr_task_begin(unsigned long long *ctx)
{
	const struct rpc_task *task = (void *)ctx[0];
	__u32 clid = 0;
	int command;

	command = nfs_command_of(task, &clid);
	if (command < 0)
		return 0;
	return nfs_req_start((__u64)task, command, clid);
}

/* (const struct rpc_task *task, const void *action) */
SEC("tp_btf/rpc_task_end")
int nfsr_task_end(unsigned long long *ctx)
{
	const struct rpc_task *task = (void *)ctx[0];
	__u64 key = ctx[0];

	/* most tasks are not tracked: read nothing from them */
	if (!bpf_map_lookup_elem(&nfs_inflight, &key))
		return 0;
	return nfs_req_end(key, BPF_CORE_READ(task, tk_status), nfs_xid_of(task));
}

/* (const struct rpc_rqst *rqst), when a task gets its slot and xid */
SEC("tp_btf/xprt_reserve")
int nfsr_reserve(unsigned long long *ctx)
{
	const struct rpc_rqst *rqst = (void *)ctx[0];
	__u64 key = (__u64)BPF_CORE_READ(rqst, rq_task);

	nfs_req_note_xid(key, bpf_ntohl(BPF_CORE_READ(rqst, rq_xid)));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
