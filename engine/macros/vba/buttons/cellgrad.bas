' The Run, Step and Reset buttons of every optimizer tab. Python performs the active tab's own
' macros (reset, onestep, somesteps, in its sheet module) through xlwings: install the xlwings
' add-in (xlwings addin install) and pip install cellgrad. The buttons work on the active tab.
Sub CellgradRun()
    RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.run_button()"
End Sub

Sub CellgradStep()
    RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.step_button()"
End Sub

Sub CellgradReset()
    RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.reset_button()"
End Sub
