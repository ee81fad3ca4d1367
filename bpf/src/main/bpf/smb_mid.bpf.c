// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * smb-mid: what smb-wire's tracepoints cannot see, from the cifs functions
 * that allocate, answer and free a mid (struct mid_q_entry).
 */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "smb_wire.bpf.h"

/* struct mid_q_entry *smb2_mid_entry_alloc(const struct smb2_hdr *, struct TCP_Server_Info *) */
SEC("fexit/smb2_mid_entry_alloc")
int smbm_mid_alloc(unsigned long long *ctx)
{
	const struct smb2_hdr *shdr = (void *)ctx[0];
	const struct TCP_Server_Info *server = (void *)ctx[1];
	const struct mid_q_entry *mid = (void *)ctx[2];
	__u32 hdr_flags, next;
	__u16 flags = 0;

	if (!mid)
		return 0;
	hdr_flags = aod_le32_to_cpu(BPF_CORE_READ(shdr, Flags));
	next = BPF_CORE_READ(shdr, NextCommand);
	if (next || (hdr_flags & SMB2_FLAGS_RELATED_OPERATIONS))
		flags |= AOD_FLAG_COMPOUND;
	return smb_req_annotate(aod_le64_to_cpu(BPF_CORE_READ(shdr, SessionId)),
				BPF_CORE_READ(mid, mid), (__u64)mid,
				BPF_CORE_READ(server, conn_id), flags);
}

/* bool smb2_is_status_pending(char *buf, struct TCP_Server_Info *): every response header */
SEC("fentry/smb2_is_status_pending")
int smbm_status_pending(unsigned long long *ctx)
{
	const struct smb2_hdr *shdr = (void *)ctx[0];

	if (aod_le32_to_cpu(BPF_CORE_READ(shdr, Status)) != SMB2_STATUS_PENDING)
		return 0;
	return smb_req_pending(aod_le64_to_cpu(BPF_CORE_READ(shdr, SessionId)),
			       aod_le64_to_cpu(BPF_CORE_READ(shdr, MessageId)));
}

/* void __release_mid(struct kref *refcount) */
SEC("fentry/__release_mid")
int smbm_release_mid(unsigned long long *ctx)
{
	const struct mid_q_entry *mid;
	__u32 zero = 0;
	__u64 *releasing;

	mid = (void *)(ctx[0] - bpf_core_field_offset(struct mid_q_entry, refcount));
	releasing = bpf_map_lookup_elem(&smb_releasing, &zero);
	if (releasing)
		*releasing = (__u64)mid;
	return smb_req_released((__u64)mid, BPF_CORE_READ(mid, mid_state));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
