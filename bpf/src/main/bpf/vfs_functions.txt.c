/*
 * Not a program: run through the C preprocessor (see Makefile) to list a VFS
 * probe's hooked functions for user space, one "function OPERATION code" line
 * each, in the order of their ids (the aux field of VFS events).
 */
#include "aod_vfs_ops.h"
#define VFS_FN(fn, op, inode, ret) fn #op op
#include VFS_FUNCTIONS
