# SPDX-License-Identifier: GPL-3.0-or-later
# Debian packages with CPack (docs/packaging.md): `cpack -G DEB` in a build folder makes
#   zzping      zzpingd, zzping-convert, zzping-dump, zzping-tail, the systemd unit, the
#               sample /etc/zzping/zzpingd.toml (conffile), docs, man pages
#   zzping-gui  zzping-gui, its desktop file, icon and man page, and zzping-report (it
#               draws with Qt and the GUI's plot code), when the GUI is built
# The binaries' own install() rules (daemon/zzpingd, tools/*, gui/zzping-gui) name these
# components. zzping-responder is a test tool and is not installed.
#
# Paths outside the /usr prefix (/etc, /lib/systemd) are absolute on purpose: Debian puts
# them there whatever the prefix. A plain `cmake --install` as root writes them too.

set(ZZPING_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)

# --- zzping ---------------------------------------------------------------------------
install(FILES ${ZZPING_PACKAGING_DIR}/systemd/zzpingd.service
        DESTINATION /lib/systemd/system COMPONENT zzping)
install(FILES ${ZZPING_PACKAGING_DIR}/config/zzpingd.toml
        DESTINATION /etc/zzping COMPONENT zzping)
install(FILES ${PROJECT_SOURCE_DIR}/README.md
              ${PROJECT_SOURCE_DIR}/docs/config.md
              ${PROJECT_SOURCE_DIR}/docs/daemon.md
              ${PROJECT_SOURCE_DIR}/docs/protocol.md
              ${PROJECT_SOURCE_DIR}/docs/formats.md
              ${PROJECT_SOURCE_DIR}/docs/convert.md
              ${PROJECT_SOURCE_DIR}/docs/output.md
              ${PROJECT_SOURCE_DIR}/docs/metrics.md
              ${PROJECT_SOURCE_DIR}/docs/alerts.md
              ${PROJECT_SOURCE_DIR}/docs/summary.md
              ${PROJECT_SOURCE_DIR}/docs/packaging.md
        DESTINATION share/doc/zzping COMPONENT zzping)
# The license (GPL-3.0-or-later, LICENSE) as Debian wants it: a machine-readable copyright
# file in each package's doc folder, pointing at /usr/share/common-licenses/GPL-3.
install(FILES ${ZZPING_PACKAGING_DIR}/debian/copyright
        DESTINATION share/doc/zzping COMPONENT zzping)

# The Debian changelog, gzipped (Debian policy 12.7; a native package's is changelog.gz).
set(ZZPING_CHANGELOG_GZ ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(OUTPUT ${ZZPING_CHANGELOG_GZ}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging
  COMMAND gzip -9nc ${ZZPING_PACKAGING_DIR}/debian/changelog > ${ZZPING_CHANGELOG_GZ}
  DEPENDS ${ZZPING_PACKAGING_DIR}/debian/changelog VERBATIM)
add_custom_target(zzping_changelog ALL DEPENDS ${ZZPING_CHANGELOG_GZ})
install(FILES ${ZZPING_CHANGELOG_GZ} DESTINATION share/doc/zzping COMPONENT zzping)

# Prometheus recording and alerting rules, and a Grafana dashboard (docs/alerts.md).
install(FILES ${ZZPING_PACKAGING_DIR}/prometheus/zzping.rules.yml
        DESTINATION share/zzping/prometheus COMPONENT zzping)
install(FILES ${ZZPING_PACKAGING_DIR}/grafana/zzping-dashboard.json
        DESTINATION share/zzping/grafana COMPONENT zzping)

# Man pages are installed gzipped, as Debian policy asks; gzip -n keeps them reproducible.
function(zzping_install_man_page page section component)
  set(source ${ZZPING_PACKAGING_DIR}/man/${page}.${section})
  set(compressed ${PROJECT_BINARY_DIR}/packaging/man/${page}.${section}.gz)
  add_custom_command(OUTPUT ${compressed}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging/man
    COMMAND gzip -9nc ${source} > ${compressed}
    DEPENDS ${source} VERBATIM)
  add_custom_target(zzping_man_${page} ALL DEPENDS ${compressed})
  install(FILES ${compressed} DESTINATION share/man/man${section} COMPONENT ${component})
endfunction()
zzping_install_man_page(zzpingd 8 zzping)
zzping_install_man_page(zzping-convert 1 zzping)
zzping_install_man_page(zzping-dump 1 zzping)
zzping_install_man_page(zzping-tail 1 zzping)

# --- zzping-gui -----------------------------------------------------------------------
if(ZZPING_BUILD_GUI)
  zzping_install_man_page(zzping-gui 1 zzping-gui)
  zzping_install_man_page(zzping-report 1 zzping-gui)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/report.md DESTINATION share/doc/zzping-gui COMPONENT zzping-gui)
  install(FILES ${ZZPING_PACKAGING_DIR}/debian/copyright ${ZZPING_CHANGELOG_GZ}
          DESTINATION share/doc/zzping-gui COMPONENT zzping-gui)
  install(FILES ${ZZPING_PACKAGING_DIR}/desktop/zzping-gui.desktop
          DESTINATION share/applications COMPONENT zzping-gui)
  install(FILES ${ZZPING_PACKAGING_DIR}/icons/zzping-gui.svg
          DESTINATION share/icons/hicolor/scalable/apps COMPONENT zzping-gui)
  # Bitmap sizes for menus that do not draw SVG, when rsvg-convert (librsvg2-bin) is here.
  find_program(ZZPING_RSVG_CONVERT rsvg-convert)
  if(ZZPING_RSVG_CONVERT)
    foreach(size 64 128)
      set(png ${PROJECT_BINARY_DIR}/packaging/icons/${size}/zzping-gui.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/packaging/icons/${size}
        COMMAND ${ZZPING_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${ZZPING_PACKAGING_DIR}/icons/zzping-gui.svg
        DEPENDS ${ZZPING_PACKAGING_DIR}/icons/zzping-gui.svg VERBATIM)
      add_custom_target(zzping_icon_${size} ALL DEPENDS ${png})
      install(FILES ${png} DESTINATION share/icons/hicolor/${size}x${size}/apps COMPONENT zzping-gui)
    endforeach()
  endif()
endif()

# --- CPack ----------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME zzping)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "zzping")
# Whoever publishes the packages sets their own address (lintian: bogus-mail-host otherwise).
set(ZZPING_PACKAGE_CONTACT "zzping maintainers <zzping@localhost>" CACHE STRING
    "Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${ZZPING_PACKAGE_CONTACT}")
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put it before each component's own
# first line (its synopsis) below.
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL zzping)
if(ZZPING_BUILD_GUI)
  list(APPEND CPACK_COMPONENTS_ALL zzping-gui)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# dpkg-shlibdeps writes the Depends on shared libraries (libc6, libstdc++6, libsystemd0,
# libspdlog, Qt 6, ...); the lists below are added to them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_ZZPING_PACKAGE_NAME zzping)
set(CPACK_DEBIAN_ZZPING_DESCRIPTION
    "continuous ICMP network-quality monitor\n\
zzpingd pings chosen hosts densely (1-1000 pings/s), folds every 100 ms into a\n\
statistics frame (RTT quantiles, loss, duplicates), stores frames in compact\n\
hourly files and streams them over TCP. Includes the systemd service and the\n\
zzping-convert, zzping-dump and zzping-tail tools.")
# setcap in postinst.
set(CPACK_DEBIAN_ZZPING_PACKAGE_DEPENDS "libcap2-bin")
set(CPACK_DEBIAN_ZZPING_PACKAGE_CONTROL_EXTRA
    ${ZZPING_PACKAGING_DIR}/debian/postinst
    ${ZZPING_PACKAGING_DIR}/debian/prerm
    ${ZZPING_PACKAGING_DIR}/debian/postrm
    ${ZZPING_PACKAGING_DIR}/debian/conffiles)

set(CPACK_DEBIAN_ZZPING-GUI_PACKAGE_NAME zzping-gui)
set(CPACK_DEBIAN_ZZPING-GUI_PACKAGE_SECTION net)
set(CPACK_DEBIAN_ZZPING-GUI_DESCRIPTION
    "desktop viewer for zzping latency and loss\n\
zzping-gui shows live and historical latency and loss from zzping files, data\n\
directories and live zzpingd daemons, zooming from a year down to 100 ms.\n\
zzping-report writes a PDF report of a period for a provider's support.")

include(CPack)
