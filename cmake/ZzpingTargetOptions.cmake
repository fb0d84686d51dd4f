# SPDX-License-Identifier: GPL-3.0-or-later
# Per-target compiler options: warnings, -Werror in CI, sanitizers.
# Usage: zzping_target_options(<target>)
function(zzping_target_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(ZZPING_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  zzping_sanitize(${target})
endfunction()

# Sanitizers are applied per target too, so third-party code is untouched.
function(zzping_sanitize target)
  if(ZZPING_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  # Fuzz builds (clang): instrument our libraries for coverage too, or libFuzzer would only
  # see the harness and fuzz blind. Everything in that build links the sanitizer runtimes.
  if(ZZPING_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
