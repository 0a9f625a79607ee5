# The server-manager XML, generated into the build folder: each shared property block
# (Plugin/Blocks) is written once and placed where a proxy says @GS_...@. Included by the top
# level (Core-only builds too: Core's tests check the XML's enumerations).
set(gs_xml_names GrayScott LossLandscape BifurcationCurves ResidualFit Inversion)
set(GS_PLUGIN_XML_DIR "${PROJECT_BINARY_DIR}/Plugin/xml")

# A block with its @...@ variables set from the arguments (name value pairs).
function(gs_xml_block out block)
  file(READ "${CMAKE_CURRENT_LIST_DIR}/Blocks/${block}.xml" text)
  set(args ${ARGN})
  while(args)
    list(POP_FRONT args name value)
    set(${name} "${value}")
  endwhile()
  string(CONFIGURE "${text}" text @ONLY)
  string(REGEX REPLACE "\n$" "" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

gs_xml_block(GS_SIMULATION_STOPPING_AT_STEADY_STATE Simulation GS_STEADY_STATE_TOLERANCE 1e-4)
gs_xml_block(GS_SIMULATION_EXACT_STEPS Simulation GS_STEADY_STATE_TOLERANCE 0)
gs_xml_block(GS_SIMULATION_TRAINING Simulation GS_STEADY_STATE_TOLERANCE 5e-5)
gs_xml_block(GS_NETWORK_FOR_COMPLETION Network
  GS_NETWORK_SHOWN_WHEN "property=\"Completion\" value=\"2\"")
gs_xml_block(GS_NETWORK_FOR_PINN Network GS_NETWORK_SHOWN_WHEN "property=\"Method\" value=\"3\"")

set(GS_PLUGIN_XML_FILES)
foreach(name IN LISTS gs_xml_names)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/${name}.xml" "${GS_PLUGIN_XML_DIR}/${name}.xml" @ONLY)
  list(APPEND GS_PLUGIN_XML_FILES "${GS_PLUGIN_XML_DIR}/${name}.xml")
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  "${CMAKE_CURRENT_LIST_DIR}/Blocks/Simulation.xml" "${CMAKE_CURRENT_LIST_DIR}/Blocks/Network.xml")
