// SPDX-License-Identifier: MIT
/* The one object that ThreadSanitizer's view of liburcu's grace period hangs on (snap.h). */
#include "snap.h"

char snap_grace;
