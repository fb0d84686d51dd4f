# SPDX-License-Identifier: GPL-3.0-or-later
# zzping 0.2.2 compatibility codecs (formats/src/zzping02).
zzping_add_fuzzer(zzping02_framedata LIBS zzping_formats)
zzping_add_fuzzer(zzping02_fdq LIBS zzping_formats)
zzping_add_fuzzer(zzping02_framestats LIBS zzping_formats)
