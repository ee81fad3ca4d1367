/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * VFS operation codes of SMB VFS and NFS VFS events: the index of the name in
 * dev.aod.protocol.OperationTable.VFS_OPS (append only). Macros, not an enum,
 * so that the generated <probe>.functions lists carry the numbers.
 */
#ifndef __AOD_VFS_OPS_H
#define __AOD_VFS_OPS_H

#define AOD_VFS_READ		0
#define AOD_VFS_WRITE		1
#define AOD_VFS_OPEN		2
#define AOD_VFS_RELEASE		3
#define AOD_VFS_FLUSH		4
#define AOD_VFS_FSYNC		5
#define AOD_VFS_GETATTR		6
#define AOD_VFS_SETATTR		7
#define AOD_VFS_LOOKUP		8
#define AOD_VFS_CREATE		9
#define AOD_VFS_UNLINK		10
#define AOD_VFS_RENAME		11
#define AOD_VFS_MKDIR		12
#define AOD_VFS_RMDIR		13
#define AOD_VFS_READDIR		14
#define AOD_VFS_MMAP		15
#define AOD_VFS_LOCK		16
#define AOD_VFS_STATFS		17
#define AOD_VFS_READ_FOLIO	18
#define AOD_VFS_READAHEAD	19
#define AOD_VFS_WRITEPAGES	20
#define AOD_VFS_LLSEEK		21
#define AOD_VFS_FALLOCATE	22
#define AOD_VFS_LINK		23
#define AOD_VFS_SYMLINK		24
#define AOD_VFS_WRITEPAGE	25
#define AOD_VFS_MKNOD		26
#define AOD_VFS_READLINK	27
#define AOD_VFS_COPY_FILE_RANGE	28
#define AOD_VFS_IOCTL		29

#endif /* __AOD_VFS_OPS_H */
