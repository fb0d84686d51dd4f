# SPDX-License-Identifier: GPL-3.0-or-later
# The /metrics HTTP request parser: what anyone who can connect to the endpoint can send.
# Seeds are requests a scraper, curl and a few broken clients send (fuzz/corpus/metrics_http_request/).
zzping_add_fuzzer(metrics_http_request LIBS zzping_metrics_core)
