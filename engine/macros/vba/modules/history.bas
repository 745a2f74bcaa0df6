' The handout's loss history, cellgrad's addition to the lesson's macros (a standard module, so
' every optimizer tab's macros call the same Subs; Range() is the active tab's, the one whose
' button was pressed). Reset starts the history below rmsestart with the loss before training
' (epoch 0) and every epoch appends its loss, as the lesson's basic tab does in onestep. On a
' workbook without the history (fast.ai's original) cellgrad leaves these Subs and the lines that
' call them out, and the macros are the lesson's.
Sub newhistory()
    Range("rmses").Clear
    recordloss
End Sub

Sub recordloss()
    Range("rmse").Copy
    Range("rmsestart").End(xlDown).Offset(1, 0).PasteSpecial Paste:=xlPasteValues
End Sub

' The annealing tabs' somesteps recomputes an epoch after dividing lr: the epoch's entry is
' replaced by its loss as finally computed.
Sub replaceloss()
    Range("rmse").Copy
    Range("rmsestart").End(xlDown).PasteSpecial Paste:=xlPasteValues
End Sub
