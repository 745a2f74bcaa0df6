' The adagrad tab's macros, written in the style of the lesson's rmsprop macros: the running
' sum of squared gradients (ms_last) is carried to the top (gradtarget) like rmsprop's mean.
' cellgrad runs this text: engine/macros interprets it statement by statement.
Sub onestep()
    Range("ms_last").Copy
    Range("gradtarget").PasteSpecial Paste:=xlPasteValues
    Range("lastslope").Copy
    Range("slope").PasteSpecial Paste:=xlPasteValues
    Range("lastconst").Copy
    Range("const").PasteSpecial Paste:=xlPasteValues
    ActiveSheet.Calculate
    recordloss
End Sub

Sub somesteps()
    Application.Calculation = xlCalculationManual
    For i = 1 To 5
        onestep
    Next
    Application.Calculation = xlCalculationAutomatic
End Sub

Sub reset()
    Range("gradtarget") = 0
    Range("slope").Value = 1
    Range("const").Value = 1
    Range("lr").Value = 1
    newhistory
End Sub
