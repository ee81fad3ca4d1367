// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* smb-wire: SMB2 request latency and errors from the cifs tracepoints. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include "smb_wire.bpf.h"

SEC("tracepoint/cifs/smb3_cmd_enter")
int smb3_cmd_enter(struct trace_event_raw_smb3_cmd_done_class *ctx)
{
	return smb_req_start(ctx->sesid, ctx->mid, ctx->cmd, ctx->tid);
}

SEC("tracepoint/cifs/smb3_cmd_done")
int smb3_cmd_done(struct trace_event_raw_smb3_cmd_done_class *ctx)
{
	return smb_req_end(ctx->sesid, ctx->mid, 0, 0, AOD_KIND_SLOW);
}

SEC("tracepoint/cifs/smb3_cmd_err")
int smb3_cmd_err(struct trace_event_raw_smb3_cmd_err_class *ctx)
{
	return smb_req_failed(ctx->sesid, ctx->mid, ctx->cmd, ctx->status,
			      ctx->rc);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
