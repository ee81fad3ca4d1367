// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Host-kernel test programs. The host has no cifs or nfs module and refuses
 * fentry, so the logic of every probe (the same inline functions its
 * programs call) is driven here through raw_tp programs run with
 * BPF_PROG_TEST_RUN, and the ring buffer is filled by programs this host can
 * attach or run.
 */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include "smb_wire.bpf.h"
#include "nfs_rpc.bpf.h"
#include "session.bpf.h"
#include "vfs.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} target_tgid SEC(".maps");

/* args: session id, mid, command, tree id */
SEC("raw_tp")
int smb_enter(struct bpf_raw_tracepoint_args *ctx)
{
	return smb_req_start(ctx->args[0], ctx->args[1], ctx->args[2],
			     ctx->args[3]);
}

/* args: session id, mid */
SEC("raw_tp")
int smb_done(struct bpf_raw_tracepoint_args *ctx)
{
	return smb_req_end(ctx->args[0], ctx->args[1], 0, 0, AOD_KIND_SLOW);
}

/* args: session id, mid, NT status, errno, command (as smb3_cmd_err) */
SEC("raw_tp")
int smb_err(struct bpf_raw_tracepoint_args *ctx)
{
	return smb_req_failed(ctx->args[0], ctx->args[1], ctx->args[4],
			      ctx->args[2], ctx->args[3]);
}

/* smb-mid, args: session id, mid, mid address, connection id, flags */
SEC("raw_tp")
int smb_annotate(struct bpf_raw_tracepoint_args *ctx)
{
	return smb_req_annotate(ctx->args[0], ctx->args[1], ctx->args[2],
				ctx->args[3], ctx->args[4]);
}

/* args: session id, mid */
SEC("raw_tp")
int smb_pending(struct bpf_raw_tracepoint_args *ctx)
{
	return smb_req_pending(ctx->args[0], ctx->args[1]);
}

/* args: mid address, mid_state */
SEC("raw_tp")
int smb_released(struct bpf_raw_tracepoint_args *ctx)
{
	return smb_req_released(ctx->args[0], ctx->args[1]);
}

/* smb-vfs, args: function id */
SEC("raw_tp")
int vfs_start(struct bpf_raw_tracepoint_args *ctx)
{
	return vfs_enter(AOD_PROBE_SMB_VFS, ctx->args[0]);
}

/* args: function id, operation, return value, dev, inode number */
SEC("raw_tp")
int vfs_end(struct bpf_raw_tracepoint_args *ctx)
{
	struct aod_event *e;

	e = vfs_exit(AOD_SRC_SMB_VFS, AOD_PROBE_SMB_VFS, ctx->args[0],
		     ctx->args[1], ctx->args[2]);
	if (e) {
		e->dev = ctx->args[3];
		e->request_id = ctx->args[4];
		event_submit(e);
	}
	return 0;
}

/* nfs-rpc, args: task address, command, RPC client id */
SEC("raw_tp")
int nfs_start(struct bpf_raw_tracepoint_args *ctx)
{
	return nfs_req_start(ctx->args[0], ctx->args[1], ctx->args[2]);
}

/* args: task address, task status, xid */
SEC("raw_tp")
int nfs_end(struct bpf_raw_tracepoint_args *ctx)
{
	return nfs_req_end(ctx->args[0], ctx->args[1], ctx->args[2]);
}

/* args: task address, xid */
SEC("raw_tp")
int nfs_xid(struct bpf_raw_tracepoint_args *ctx)
{
	nfs_req_note_xid(ctx->args[0], ctx->args[1]);
	return 0;
}

/* nfs-vfs noting a mount, args: RPC client id, dev */
SEC("raw_tp")
int nfs_client(struct bpf_raw_tracepoint_args *ctx)
{
	nfs_note_client(ctx->args[0], ctx->args[1]);
	return 0;
}

/* args: source, probe, event, connection id, request id, operation, aux, errno */
SEC("raw_tp")
int session(struct bpf_raw_tracepoint_args *ctx)
{
	struct session_event s = {
		.source = ctx->args[0],
		.probe = ctx->args[1],
		.event = ctx->args[2],
		.conn_id = ctx->args[3],
		.request_id = ctx->args[4],
		.operation = ctx->args[5],
		.aux = ctx->args[6],
		.error = ctx->args[7],
	};
	struct aod_issuer who;

	issuer_current(&who);
	return session_emit(&s, &who);
}

struct fill_state {
	__u64	first;
	__u32	tgid;
};

static long fill_one(__u32 i, void *data)
{
	struct fill_state *state = data;
	__u64 n = state->first + i;
	struct aod_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop(AOD_SRC_SELFTEST, AOD_DROP_RINGBUF_FULL);
		return 0;
	}
	e->ts_ns = n;
	e->latency_ns = n * 3;
	e->session_id = 0x1122334455667788ULL;
	e->request_id = n;
	e->conn_id = 0xc011;
	e->cgroup_id = 0xc0ffee;
	e->tgid = state->tgid;
	e->pid = (__u32)n;
	e->status = 0xc0000022;
	e->error = -13;
	e->tree_id = 7;
	e->dev = 0x800011;
	e->aux = 3;
	e->flags = AOD_FLAG_ASYNC;
	e->command = n % 20;
	e->source = AOD_SRC_SELFTEST;
	e->kind = AOD_KIND_SLOW;
	e->reserved = 0;
	e->reserved2 = 0;
	__builtin_memcpy(e->comm, "aod-fill", 9);
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

/* args: number of records, sequence number of the first */
SEC("raw_tp")
int fill(struct bpf_raw_tracepoint_args *ctx)
{
	struct fill_state state = {
		.first = ctx->args[1],
		.tgid = bpf_get_current_pid_tgid() >> 32,
	};

	bpf_loop(ctx->args[0], fill_one, &state, 0);
	return 0;
}

/* One record per getppid() of the target process, through a real attach. */
SEC("tracepoint/syscalls/sys_enter_getppid")
int on_getppid(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct fill_state state = { .tgid = pid_tgid >> 32 };
	__u32 zero = 0, *target;

	target = bpf_map_lookup_elem(&target_tgid, &zero);
	if (!target || *target != state.tgid)
		return 0;
	state.first = (__u32)pid_tgid;
	return fill_one(0, &state);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
