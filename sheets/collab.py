"""collab_filter.xlsx: collaborative filtering on the 15x15 MovieLens crosstab.

dotprod: ratings (H2:V16), movie factors (H19:V23), user factors (B25:F39), predictions as the
matrix product (H25:V39) and the RMSE Solver minimizes (V41). movielens_1hot and movielens_emb
compute the same predictions from the long list of ratings, once as one-hot rows times the
weights (MMULT array formulas) and once as an embedding lookup (OFFSET); bias adds a bias per
user and per movie; word_emb is the same lookup for words.
"""
from __future__ import annotations

from . import lesson_data as data
from .grid import absolute, at, cell_name, shift, span
from .layout import Book, SolverModel, Tab
from .weights import uniform

N = 15        # users, movies
FACTORS = 5
LONG_ROWS = range(3, 3 + sum(r is not None for row in data.RATINGS for r in row))  # 3..208
WORDS = len(data.VOCAB)


def long_ratings() -> list[tuple[int, int, float]]:
    """(userId, movieId, rating) for every rating, listed movie by movie as in the lesson."""
    out = []
    for movie in data.LONG_MOVIE_ORDER:
        j = data.MOVIES.index(movie)
        out += [(user, movie, data.RATINGS[i][j]) for i, user in enumerate(data.USERS)
                if data.RATINGS[i][j] is not None]
    return out


def _crosstab(tab: Tab) -> None:
    """Movie ids across row 1, user ids down column G, ratings in H2:V16."""
    tab.put("G1", "movieId", role="header")
    tab.put("F2", "userId", role="header")
    for j, movie in enumerate(data.MOVIES):
        tab.put(at("H", 1, j), movie, role="header", number_format="0")
    for i, user in enumerate(data.USERS):
        tab.put(cell_name(2 + i, 7), user, role="header", number_format="0")
        for j, rating in enumerate(data.RATINGS[i]):
            if rating is not None:
                tab.put(at("H", 2 + i, j), rating, role="target", number_format="0.0")


def _weights(tab: Tab, block: str, top_left_col: str, top: int, rows: int, cols: int) -> None:
    for i, row in enumerate(uniform(block, rows, cols)):
        for j, w in enumerate(row):
            tab.put(at(top_left_col, top + i, j), w, role="parameter")


def _prediction_headers(tab: Tab, id_row: int) -> None:
    """Movie ids along ``id_row``, user ids down column G below it."""
    tab.put(at("G", id_row - 1), "movieId", role="header")
    tab.put(at("F", id_row), "userId", role="header")
    for j, movie in enumerate(data.MOVIES):
        tab.put(at("H", id_row, j), movie, role="header", number_format="0")
    for i, user in enumerate(data.USERS):
        tab.put(at("G", id_row + 1 + i), user, role="header", number_format="0")


def _collab_look(tab: Tab) -> None:
    tab.column_widths.update({c: 6.5 for c in span("A", "V")})
    tab.column_widths["F"] = 8
    tab.freeze = "H2"


def _products(tab: Tab, top: int, factors: int, biases: str) -> None:
    """Predictions H{top}:V{top+14}: user factors (B:F) times movie factors (rows factors..+4),
    plus ``biases`` (a template in {col} and {r}); 0 where there is no rating to compare with."""
    for i in range(N):
        r = top + i
        for col in span("H", "V"):
            product = f"MMULT($B{r}:$F{r},{col}${factors}:{col}${factors + FACTORS - 1})"
            tab.put(f"{col}{r}", formula=f'=IF({col}{2 + i}="",0,{product})' + biases.format(col=col, r=r))


def dotprod() -> Tab:
    tab = Tab("dotprod")
    _crosstab(tab)
    tab.put("B19", "NB: These are initialized to random numbers", role="note")
    tab.put("B20", "Then we use Solver to optimize them", role="note")
    tab.put("B21", "with gradient descent", role="note")
    _weights(tab, "dotprod movies", "H", 19, FACTORS, N)
    _prediction_headers(tab, 24)
    _weights(tab, "dotprod users", "B", 25, N, FACTORS)
    _products(tab, 25, 19, "")
    tab.put("U41", "RMSE", role="header")
    tab.put("V41", formula="=SQRT(SUMXMY2(H2:V16,H25:V39)/COUNT(H2:V16))")
    tab.solver = SolverModel(absolute("dotprod", "V41"),
                             [absolute("dotprod", "H19", "V23"), absolute("dotprod", "B25", "F39")])
    _collab_look(tab)
    return tab


def bias() -> Tab:
    tab = Tab("bias")
    _crosstab(tab)
    tab.put("F19", "movie bias", role="header")
    tab.put("F20", "movie factors", role="header")
    _weights(tab, "bias movie bias", "H", 19, 1, N)
    _weights(tab, "bias movies", "H", 20, FACTORS, N)
    _prediction_headers(tab, 25)
    _weights(tab, "bias user bias", "A", 26, N, 1)
    _weights(tab, "bias users", "B", 26, N, FACTORS)
    _products(tab, 26, 20, "+{col}$19+$A{r}")
    tab.put("U42", "RMSE", role="header")
    tab.put("V42", formula="=SQRT(SUMXMY2(H2:V16,H26:V40)/COUNT(H2:V16))")
    tab.solver = SolverModel(absolute("bias", "V42"),
                             [absolute("bias", "H19", "V24"), absolute("bias", "A26", "F40")])
    _collab_look(tab)
    return tab


def _index_column(tab: Tab, first_row: int, count: int) -> None:
    """1, =A4+1, =A5+1, ...: the position a MATCH returns."""
    tab.put(at("A", first_row), 1, number_format="0")
    for r in range(first_row + 1, first_row + count):
        tab.put(at("A", r), formula=f"=A{r - 1}+1", number_format="0")


def _lookup_tables(tab: Tab) -> None:
    """Users and movies with their weights, all formulas reading dotprod: users as dotprod holds
    them (B25:F39), movies transposed (movie m, factor k is dotprod's column H+m, row 19+k), so
    a Solver run on dotprod drives this tab too. The reference pastes the movie weights instead
    (the same numbers, dotprod's H19:V23 at its saved state), which goes stale after a solve."""
    tab.put("A1", "All weights (users and movies) are formulas reading dotprod: run Solver there.",
            role="note")
    tab.put("B2", "Users", role="title")
    tab.put("A3", "idx", role="header")
    tab.put("B3", "Row Labels", role="header")
    _index_column(tab, 4, N)
    for i, user in enumerate(data.USERS):
        tab.put(at("B", 4 + i), user, role="header", number_format="0")
        for k in range(FACTORS):
            tab.put(at("C", 4 + i, k), formula=f"=dotprod!{at('B', 25 + i, k)}", role="parameter")
    tab.put("B20", "Movies", role="title")
    tab.put("A21", "idx", role="header")
    tab.put("B21", "Row Labels", role="header")
    _index_column(tab, 22, N)
    for j, movie in enumerate(data.MOVIES):
        tab.put(at("B", 22 + j), movie, role="header", number_format="0")
        for k in range(FACTORS):
            tab.put(at("C", 22 + j, k), formula=f"=dotprod!{at('H', 19 + k, j)}", role="parameter")


def _long_list(tab: Tab, rating_col: str) -> None:
    tab.put("I1", "original data", role="title")
    tab.put("I2", "userId", role="header")
    tab.put("J2", "movieId", role="header")
    tab.put(f"{rating_col}2", "rating", role="header")
    for r, (user, movie, rating) in zip(LONG_ROWS, long_ratings()):
        tab.put(f"I{r}", user, number_format="0")
        tab.put(f"J{r}", movie, number_format="0")
        tab.put(f"{rating_col}{r}", rating, role="target", number_format="0.0")


def _one_hot(tab: Tab, first: str, label: str, index_col: str) -> None:
    cols = span(first, shift(first, N - 1))
    tab.put(f"{first}1", label, role="title")
    tab.put(f"{first}2", 1, role="header", number_format="0")
    for prev, col in zip(cols, cols[1:]):
        tab.put(f"{col}2", formula=f"={prev}2+1", role="header", number_format="0")
    for r in LONG_ROWS:
        for col in cols:
            tab.put(f"{col}{r}", formula=f"=IF(${index_col}{r}={col}$2,1,0)", number_format="0")


def _predictions(tab: Tab, prediction: tuple[str, int, str, str], loss: tuple[str, int, str, str]) -> None:
    """(column, header row, header, formula with {r}) for the predictions and the squared
    errors, and under them the RMSE (whose AVERAGE range runs one row past the data)."""
    for col, header_row, header, template in (prediction, loss):
        tab.put(f"{col}{header_row}", header, role="header")
        for r in LONG_ROWS:
            tab.put(f"{col}{r}", formula=template.format(r=r))
    last = LONG_ROWS[-1]
    tab.put(f"{prediction[0]}{last + 2}", "RMSE", role="header")
    tab.put(f"{loss[0]}{last + 2}", formula=f"=SQRT(AVERAGE({loss[0]}3:{loss[0]}{last + 1}))")


def movielens_1hot() -> Tab:
    tab = Tab("movielens_1hot")
    _lookup_tables(tab)
    _long_list(tab, "M")
    last = LONG_ROWS[-1]
    tab.put("K2", "user idx", role="header")
    tab.put("L2", "movie idx", role="header")
    for r in LONG_ROWS:
        tab.put(f"K{r}", formula=f"=MATCH(I{r},$B$4:$B$18)", number_format="0")
        tab.put(f"L{r}", formula=f"=MATCH(J{r},$B$22:$B$36)", number_format="0")
    _one_hot(tab, "O", "User", "K")
    tab.put("AE1", "User activations", role="title")
    tab.put("AE3", formula=f"=MMULT(O3:AC{last},C4:G18)", array=f"AE3:AI{last}")
    _one_hot(tab, "AK", "Movie", "L")
    tab.put("BA1", "Movie activations", role="title")
    tab.put("BA3", formula=f"=MMULT(AK3:AY{last},C22:G36)", array=f"BA3:BE{last}")
    _predictions(tab, ("BG", 1, "Preds", "=SUMPRODUCT(AE{r}:AI{r},BA{r}:BE{r})"),
                 ("BH", 1, "Loss", "=(BG{r}-M{r})^2"))
    tab.column_widths.update({c: 3.5 for c in span("O", "AC") + span("AK", "AY")})
    tab.column_widths.update({c: 8 for c in span("A", "M")})
    tab.freeze = "A3"
    return tab


def movielens_emb() -> Tab:
    tab = Tab("movielens_emb")
    _lookup_tables(tab)
    tab.put("C2", "Embeddings", role="title")
    _long_list(tab, "K")
    for first, label, idx_col, match_range, origin in (
            ("M", "user", "L", "$B$4:$B$18", "$B$3"), ("S", "movie", "R", "$B$22:$B$36", "$B$21")):
        source = "I" if label == "user" else "J"
        cols = span(first, shift(first, FACTORS - 1))
        tab.put(f"{idx_col}2", f"{label} idx", role="header")
        tab.put(f"{first}1", f"{label} embedding", role="title")
        for k, col in enumerate(cols):
            tab.put(f"{col}2", k + 1, role="header", number_format="0")
        for r in LONG_ROWS:
            tab.put(f"{idx_col}{r}", formula=f"=MATCH({source}{r},{match_range})", number_format="0")
            for col in cols:
                tab.put(f"{col}{r}", formula=f"=OFFSET({origin},${idx_col}{r},{col}$2)")
    _predictions(tab, ("X", 2, "predict", "=SUMPRODUCT(M{r}:Q{r},S{r}:W{r})"),
                 ("Y", 2, "error^2", "=(K{r}-X{r})^2"))
    tab.column_widths.update({c: 8 for c in span("A", "Y")})
    tab.freeze = "A3"
    return tab


def word_emb() -> Tab:
    tab = Tab("word_emb")
    weights = uniform("word_emb", WORDS, FACTORS)
    tab.put("B2", "Vocab", role="title")
    tab.put("C2", "Embeddings", role="title")
    tab.put("A3", "Word id", role="header")
    tab.put("B3", "Row Labels", role="header")
    _index_column(tab, 4, WORDS)
    tab.put("A24", "Green eggs and Ham - Coefficients", role="title")
    tab.put("A25", "Word id", role="header")
    tab.put("B25", "Vocab", role="header")
    tab.put("C25", "Embeddings", role="header")
    for k in range(1, FACTORS):
        tab.put(at("C", 25, k), str(k), role="header")
    for i, word in enumerate(data.VOCAB):
        tab.put(f"B{4 + i}", word, role="header")
        tab.put(f"A{26 + i}", i + 1, number_format="0")   # the pasted copy below
        tab.put(f"B{26 + i}", word, role="header")
        for k in range(FACTORS):
            tab.put(at("C", 4 + i, k), weights[i][k], role="parameter")
            tab.put(at("C", 26 + i, k), weights[i][k], role="parameter")
    tab.put("I2", "Orig text", role="header")
    tab.put("J2", "Word Id", role="header")
    tab.put("K1", "Embedding matrix", role="title")
    for k in range(FACTORS):
        tab.put(at("K", 2, k), k + 1, role="header", number_format="0")
    for r, word in enumerate(data.TEXT, start=3):
        tab.put(f"I{r}", word)
        tab.put(f"J{r}", formula=f"=MATCH(I{r},$B$4:$B$17)", number_format="0")
        for col in span("K", "O"):
            tab.put(f"{col}{r}", formula=f"=OFFSET($B$3,$J{r},{col}$2)")
    tab.column_widths.update({c: 8 for c in span("A", "O")})
    tab.freeze = "A3"
    return tab


def book() -> Book:
    return Book("collab_filter.xlsx", [dotprod(), movielens_1hot(), movielens_emb(), bias(), word_emb()],
                title="Collaborative filtering in a spreadsheet",
                subject="fast.ai lesson 5: dot products, one-hot encoding, embeddings, biases")

