// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* smb-vfs: latency and return codes of the cifs file, inode, address space and super operations. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include "vfs.bpf.h"

enum smb_vfs_function {
#define VFS_FN(fn, op, inode, ret) smbv_fn_##fn,
#include "smb_vfs_functions.h"
#undef VFS_FN
};

#define VFS_AFTER_EXIT(op, inode)
#define VFS_FN(fn, op, inode, ret) \
	VFS_PROGRAMS(smbv_, AOD_SRC_SMB_VFS, AOD_PROBE_SMB_VFS, fn, op, inode, ret)
#include "smb_vfs_functions.h"
#undef VFS_FN

char LICENSE[] SEC("license") = "Dual BSD/GPL";
