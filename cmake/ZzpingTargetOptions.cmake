# SPDX-License-Identifier: GPL-3.0-or-later
# Per-target compiler options: warnings, -Werror in CI, hardening, sanitizers.
# Usage: zzping_target_options(<target>)
function(zzping_target_options target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(ZZPING_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  zzping_harden(${target})
  zzping_sanitize(${target})
endfunction()

# Debian's hardening flags (dpkg-buildflags with hardening=+all): zzpingd runs with
# CAP_NET_RAW and parses bytes from the network. _FORTIFY_SOURCE needs optimisation (glibc
# warns at -O0, which -Werror would turn into an error), so not in Debug builds; not with
# sanitizers either (ASan/TSan intercept the same functions).
function(zzping_harden target)
  if(ZZPING_SANITIZER OR ZZPING_FUZZ)
    return()
  endif()
  target_compile_options(${target} PRIVATE -fstack-protector-strong -fstack-clash-protection
                                           $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE>
                                           $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
  target_link_options(${target} PRIVATE -Wl,-z,relro -Wl,-z,now)
endfunction()

# ZZPING_SANITIZE as a sanitizer name: "" (none), "address" (ASan + UBSan) or "thread".
string(TOLOWER "${ZZPING_SANITIZE}" _zzping_sanitize)
if(_zzping_sanitize STREQUAL "thread")
  set(ZZPING_SANITIZER thread)
elseif(_zzping_sanitize STREQUAL "address")
  set(ZZPING_SANITIZER address)
elseif(_zzping_sanitize MATCHES "^(off|no|false|n|0|)$")
  set(ZZPING_SANITIZER "")
elseif(_zzping_sanitize MATCHES "^(on|yes|true|y|1)$")
  set(ZZPING_SANITIZER address)
else()
  message(FATAL_ERROR "ZZPING_SANITIZE=${ZZPING_SANITIZE}: use OFF, ON (= address) or thread")
endif()
unset(_zzping_sanitize)

# Sanitizers are applied per target too, so third-party code is untouched.
function(zzping_sanitize target)
  if(ZZPING_SANITIZER STREQUAL "address")
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  elseif(ZZPING_SANITIZER STREQUAL "thread")
    # TSan sees only instrumented code: ours and the inline/template code we include
    # (libstdc++ templates, Asio, Qt's inline mutex paths). Known reports from uninstrumented
    # Qt are suppressed by tests/support/tsan.supp, which test runs pass in TSAN_OPTIONS.
    # -Wno-tsan: GCC warns that TSan does not model atomic_thread_fence, which Asio's
    # std_fenced_block uses around inline handler calls. Asio's cross-thread handoffs
    # (post, the scheduler queue) go through pthread mutexes, which TSan does see.
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
  # Fuzz builds (clang): instrument our libraries for coverage too, or libFuzzer would only
  # see the harness and fuzz blind. Everything in that build links the sanitizer runtimes.
  if(ZZPING_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
