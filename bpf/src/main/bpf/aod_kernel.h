/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The few kernel types AOD's probes read. cifs and nfs types live in module
 * BTF, not vmlinux BTF, so a generated vmlinux.h would not have them anyway;
 * each is declared with only the fields we read and relocated by CO-RE
 * against the running kernel (vmlinux and module BTF).
 */
#ifndef __AOD_KERNEL_H
#define __AOD_KERNEL_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <stdbool.h>

struct trace_entry {
	unsigned short		type;
	unsigned char		flags;
	unsigned char		preempt_count;
	int			pid;
} __attribute__((preserve_access_index));

/* cifs: smb3_cmd_enter, smb3_cmd_done (fs/smb/client/trace.h) */
struct trace_event_raw_smb3_cmd_done_class {
	struct trace_entry	ent;
	__u32			tid;
	__u64			sesid;
	__u16			cmd;
	__u64			mid;
} __attribute__((preserve_access_index));

/* cifs: smb3_cmd_err */
struct trace_event_raw_smb3_cmd_err_class {
	struct trace_entry	ent;
	__u32			tid;
	__u64			sesid;
	__u16			cmd;
	__u64			mid;
	__u32			status;
	int			rc;
} __attribute__((preserve_access_index));

#endif /* __AOD_KERNEL_H */
