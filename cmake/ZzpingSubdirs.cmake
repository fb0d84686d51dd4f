# SPDX-License-Identifier: GPL-3.0-or-later
# Adds every direct subfolder of the current source folder that has a CMakeLists.txt,
# so areas (one folder each) can be added without editing a shared list. Folders named
# "gui" need Qt and are skipped when the GUI is not built.
function(zzping_add_subdirs)
  file(GLOB children RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt)
  list(SORT children)
  foreach(child ${children})
    get_filename_component(dir ${child} DIRECTORY)
    if(dir STREQUAL "gui" AND NOT ZZPING_BUILD_GUI)
      continue()
    endif()
    add_subdirectory(${dir})
  endforeach()
endfunction()
