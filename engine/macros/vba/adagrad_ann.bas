' The adagrad_ann tab's macros: adagrad's, with adam_ann's learning-rate rule in somesteps
' (divide lr by 4 when the gradients grew to more than twice their best size, remember the best).
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
    Range("gradtarget") = 0
    Range("slope").Value = 1
    Range("const").Value = 1
    Range("lr").Value = 1
    ActiveSheet.Calculate
    Range("avg_grad2").Copy
    Range("prev_grad2").PasteSpecial Paste:=xlPasteValues
    Application.Calculation = xlCalculationAutomatic
    newhistory
End Sub
