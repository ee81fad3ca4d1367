// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * AOD's core object: the maps every probe shares (ring buffer, thresholds,
 * drop counters, requests in flight). It has no programs and loads on any
 * kernel; each probe is an object of its own that reuses these maps, so one
 * probe failing to load never takes the others with it.
 */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include "smb_wire.bpf.h"
#include "nfs_rpc.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
