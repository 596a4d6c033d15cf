/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef STORMTOP_VERSION
#define STORMTOP_VERSION "0.1.0"
#endif
