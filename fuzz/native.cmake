# SPDX-License-Identifier: GPL-3.0-or-later
# Native frame format (formats/src/native): file reader, block, events and standalone
# decoders on arbitrary bytes. Seeds come from native_make_corpus (our encoders).
zzping_add_fuzzer(native_decode LIBS zzping_formats)
add_executable(native_make_corpus ${CMAKE_CURRENT_SOURCE_DIR}/native_make_corpus.cpp)
target_link_libraries(native_make_corpus PRIVATE zzping_formats)
target_include_directories(native_make_corpus PRIVATE ${PROJECT_SOURCE_DIR}/tests/native)
zzping_target_options(native_make_corpus)
