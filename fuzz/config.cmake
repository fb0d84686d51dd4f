# SPDX-License-Identifier: GPL-3.0-or-later
# zzpingd configuration (daemon/src/core/config.cpp over toml++): a config file is operator
# input, but a typo or a damaged file must give a clear error, never a crash. Seeds are
# hand-written in fuzz/corpus/config_parse/ (a full config, each error kind).
zzping_add_fuzzer(config_parse LIBS zzping_daemon_core)
