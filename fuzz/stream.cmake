# SPDX-License-Identifier: GPL-3.0-or-later
# Stream protocol parsers: what a hostile client can send the server, and what a hostile
# server can send a client. Seeds come from stream_make_corpus (our encoders).
zzping_add_fuzzer(stream_server_parser LIBS zzping_formats)
zzping_add_fuzzer(stream_client_parser LIBS zzping_formats)
add_executable(stream_make_corpus ${CMAKE_CURRENT_SOURCE_DIR}/stream_make_corpus.cpp)
target_link_libraries(stream_make_corpus PRIVATE zzping_formats)
zzping_target_options(stream_make_corpus)
