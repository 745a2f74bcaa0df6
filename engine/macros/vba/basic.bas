' The basic tab's macros, as in fast.ai course-v3 graddesc.xlsm (Apache-2.0, copyright fast.ai).
' cellgrad runs this text: engine/macros interprets it statement by statement.
Sub onestep()
    Application.Calculation = xlCalculationManual
    Range("lastslope").Copy
    Range("slope").PasteSpecial Paste:=xlPasteValues
    Range("lastconst").Copy
    Range("const").PasteSpecial Paste:=xlPasteValues
    Application.Calculation = xlCalculationAutomatic
    Range("rmse").Copy
    Range("rmsestart").End(xlDown).Offset(1, 0).PasteSpecial Paste:=xlPasteValues
End Sub

Sub somesteps()
    For i = 1 To 5: onestep: Next
End Sub

Sub reset()
    Range("slope").Value = 1
    Range("const").Value = 1
    Range("rmses").Clear
    Application.Calculate
    recordloss
End Sub
