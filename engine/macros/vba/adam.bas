' The adam tab's macros, as in fast.ai course-v3 graddesc.xlsm (Apache-2.0, copyright fast.ai).
' cellgrad runs this text: engine/macros interprets it statement by statement.
Sub onestep()
    Range("ms_last").Copy
    Range("gradtarget").PasteSpecial Paste:=xlPasteValues
    Range("momlast").Copy
    Range("momtarget").PasteSpecial Paste:=xlPasteValues
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
    Range("gradtarget") = 10000
    Range("momtarget") = 0
    Range("slope").Value = 1
    Range("const").Value = 1
    Range("lr").Value = 1
    Range("ms_last").Copy
    Range("gradtarget").PasteSpecial Paste:=xlPasteValues
    Range("momlast").Copy
    Range("momtarget").PasteSpecial Paste:=xlPasteValues
    Range("ms_last").Copy
    Range("gradtarget").PasteSpecial Paste:=xlPasteValues
    Range("momlast").Copy
    Range("momtarget").PasteSpecial Paste:=xlPasteValues
    newhistory
End Sub
