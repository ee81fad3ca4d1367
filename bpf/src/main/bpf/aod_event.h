/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one record every AOD probe sends to user space, and the maps they
 * share. Mirrored field by field by dev.aod.bpf.EventLayout; EventLayoutTest
 * compares the two through the BTF of the compiled object.
 */
#ifndef __AOD_EVENT_H
#define __AOD_EVENT_H

#define AOD_COMM_LEN		16
/* Threshold slots per source: command index 0..255 (SMB2 has 20, NFSv4 69). */
#define AOD_CMD_SLOTS		256
#define AOD_SOURCES		8
#define AOD_NO_THRESHOLD	(~0ULL)

enum aod_source {
	AOD_SRC_SELFTEST	= 0,
	AOD_SRC_SMB_WIRE	= 1,
	AOD_SRC_SMB_VFS		= 2,
	AOD_SRC_NFS_RPC		= 3,
	AOD_SRC_NFS_VFS		= 4,
};

enum aod_kind {
	AOD_KIND_SLOW		= 1,	/* completed at or over its threshold */
	AOD_KIND_ERROR		= 2,	/* completed with an error status */
};

enum aod_drop_reason {
	AOD_DROP_RINGBUF_FULL	= 0,
	AOD_DROP_INFLIGHT_FULL	= 1,
	AOD_DROP_REASONS	= 2,
};

struct aod_event {
	__u64	ts_ns;		/* completion, CLOCK_MONOTONIC */
	__u64	latency_ns;
	__u64	session_id;	/* SMB session id */
	__u64	request_id;	/* SMB message id (mid) */
	__u64	cgroup_id;	/* of the issuing task */
	__u32	tgid;		/* issuing task, not the completing one */
	__u32	pid;
	__u32	status;		/* NT status */
	__s32	error;		/* negative errno */
	__u32	tree_id;
	__u32	flags;
	__u16	command;
	__u8	source;		/* enum aod_source */
	__u8	kind;		/* enum aod_kind */
	__u32	reserved;
	char	comm[AOD_COMM_LEN];
};

#endif /* __AOD_EVENT_H */
