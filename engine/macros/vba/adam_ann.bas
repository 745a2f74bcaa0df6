' The adam_ann tab's macros, as in fast.ai course-v3 graddesc.xlsm (Apache-2.0, copyright fast.ai).
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
        If Range("gradrat") > 2 Then
            Range("lr").Value = Range("lr").Value / 4
        End If
        If Range("avg_grad2").Value < Range("prev_grad2").Value Then
            Range("avg_grad2").Copy
            Range("prev_grad2").PasteSpecial Paste:=xlPasteValues
        End If
        ActiveSheet.Calculate
        replaceloss
    Next
    Application.Calculation = xlCalculationAutomatic
End Sub

Sub reset()
    Application.Calculation = xlCalculationManual
    Range("gradtarget") = 10000
    Range("momtarget") = 0
    Range("slope").Value = 1
    Range("const").Value = 1
    Range("lr").Value = 1
    Range("avg_grad2").Copy
    Range("prev_grad2").PasteSpecial Paste:=xlPasteValues
    ActiveSheet.Calculate
    Range("ms_last").Copy
    Range("gradtarget").PasteSpecial Paste:=xlPasteValues
    Range("momlast").Copy
    Range("momtarget").PasteSpecial Paste:=xlPasteValues
    ActiveSheet.Calculate
    Range("ms_last").Copy
    Range("gradtarget").PasteSpecial Paste:=xlPasteValues
    Range("momlast").Copy
    Range("momtarget").PasteSpecial Paste:=xlPasteValues
    Range("avg_grad2").Copy
    Range("prev_grad2").PasteSpecial Paste:=xlPasteValues
    Application.Calculation = xlCalculationAutomatic
    newhistory
End Sub
