' The "Run in Python", "Step in Python" and "Reset in Python" buttons of every optimizer tab:
' cellgrad performs the active tab's own macros (reset, onestep, somesteps, in its sheet module)
' in Python, through RunPython of xlwings' standalone module (the module xlwings in this
' workbook). They need Python with cellgrad (pip install cellgrad); without it they say so in one
' line. The Run, Step and Reset buttons call the sheet module's macros and need nothing.
Sub CellgradRun()
    If CellgradInstalled() Then RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.run_button()"
End Sub

Sub CellgradStep()
    If CellgradInstalled() Then RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.step_button()"
End Sub

Sub CellgradReset()
    If CellgradInstalled() Then RunPython "import cellgrad.xlwings_bridge as cellgrad; cellgrad.reset_button()"
End Sub

' Asks the interpreter xlwings would start (its Interpreter setting, else python) to import
' cellgrad, so that a missing install is one line instead of xlwings' log. With a conda setting,
' or on a Mac (no cmd.exe), xlwings starts Python its own way and reports problems itself.
Private Function CellgradInstalled() As Boolean
    Dim interpreter As String
    CellgradInstalled = True
    #If Mac Then
        Exit Function
    #Else
        If GetConfig("CONDA PATH") <> "" Then Exit Function
        interpreter = GetConfig("INTERPRETER_WIN", "")
        If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "python")
        On Error Resume Next
        CellgradInstalled = (CreateObject("WScript.Shell").Run("cmd.exe /C """"" & interpreter & _
            """ -c ""import xlwings, cellgrad""""", 0, True) = 0)
        If Err.Number <> 0 Then CellgradInstalled = False
        On Error GoTo 0
        If Not CellgradInstalled Then
            MsgBox "The Python buttons need Python with cellgrad: pip install cellgrad", vbExclamation, "cellgrad"
        End If
    #End If
End Function
