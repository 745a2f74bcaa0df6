"""The facts of lesson 5 the handouts are built from: numbers and words, not formulas.

The ratings are a 15x15 crosstab of the MovieLens "ml-latest-small" ratings (GroupLens Research,
https://grouplens.org/datasets/movielens/): the 15 users and 15 movies with the most ratings, as
shown in the lecture. ``None`` is a movie the user did not rate. The other values are the
lecture's examples: the x of graddesc's pasted training data (y = 2x + 30), the network outputs
of the softmax example, the labels and predictions of the cross-entropy example, and the
"Green Eggs and Ham" text of the word-embedding example.
"""
from __future__ import annotations

USERS = (14, 29, 72, 211, 212, 293, 310, 379, 451, 467, 508, 546, 563, 579, 623)
MOVIES = (27, 49, 57, 72, 79, 89, 92, 99, 143, 179, 180, 197, 402, 417, 505)
RATINGS: tuple[tuple[float | None, ...], ...] = (
   (3, 5, 1, 3, 4, 4, 5, 2, 5, 5, 4, 5, 5, 2, 5),
   (5, 5, 5, 4, 5, 4, 4, 5, 4, 4, 5, 5, 3, 4, 5),
   (4, 5, 5, 4, 5, 3, 4.5, 5, 4.5, 5, 5, 5, 4.5, 5, 4),
   (5, 4, 4, 3, 5, 3, 4, 4.5, 4, None, 3, 3, 5, 3, None),
   (2.5, None, 2, 5, None, 4, 2.5, None, 5, 5, 3, 3, 4, 3, 2),
   (3, None, 4, 4, 4, 3, None, 3, 4, 4, 4.5, 4, 4.5, 4, None),
   (3, 3, 5, 4.5, 5, 4.5, 2, 4.5, 4, 3, 4.5, 4.5, 4, 3, 4),
   (5, 5, 5, 4, None, 4, 5, 4, 4, 4, None, 3, 5, 4, 4),
   (4, 5, 4, 5, 4, 4, 5, 5, 4, 4, 4, 4, 2, 3.5, 5),
   (3, 3.5, 3, 2.5, None, None, 3, 3.5, 3.5, 3, 3.5, 3, 3, 4, 4),
   (5, 5, 4, 3, 5, 2, 4, 4, 5, 5, 5, 3, 4.5, 3, 4.5),
   (None, 5, 2, 3, 5, None, 5, 5, None, 2.5, 2, 3.5, 3.5, 3.5, 5),
   (1, 5, 3, 5, 4, 5, 5, None, 2, 5, 5, 3, 3, 4, 5),
   (4.5, 4.5, 3.5, 3, 4, 4.5, 4, 4, 4, 4, 3.5, 3, 4.5, 4, 4.5),
   (None, 5, 3, 3, None, 3, 5, None, 5, 5, 5, 5, 2, 5, 4),
)
VOCAB = ('am', 'and', 'Daniel', 'do', 'eggs', 'green', 'ham', 'I', 'like', 'not', 'Sam', 'That', 'them', 'you')
# the long ("original data") listing of the ratings goes movie by movie in this order
LONG_MOVIE_ORDER = (417, 27, 143, 49, 99, 57, 72, 79, 89, 92, 505, 179, 180, 197, 402)

VOCAB = ('am', 'and', 'Daniel', 'do', 'eggs', 'green', 'ham', 'I', 'like', 'not', 'Sam', 'That', 'them', 'you')
TEXT = ('I', 'am', 'Daniel', 'I', 'am', 'Sam', 'Sam', 'I', 'am', 'That', 'Sam', 'I', 'am', 'That', 'Sam', 'I', 'am', 'I', 'do', 'not', 'like', 'that', 'Sam', 'I', 'am', 'Do', 'you', 'like', 'green', 'eggs', 'and', 'ham', 'I', 'do', 'not', 'like', 'them', 'Sam', 'I', 'am', 'I', 'do', 'not', 'like', 'green', 'eggs', 'and', 'ham')

# graddesc: the x values pasted on every optimizer tab (one epoch, in this order)
X_TRAIN = (14, 86, 28, 51, 28, 29, 72, 62, 84, 15, 42, 62, 47, 35, 9, 38, 44, 99, 13, 21, 28, 20,
           8, 64, 99, 70, 27, 17, 8)
TRUE_SLOPE = 2   # a
TRUE_CONST = 30  # b

CLASSES = ('cat', 'dog', 'plane', 'fish', 'building')
IMAGE1_OUTPUTS = (0.021789294543326676, -2.488055919486013, -1.7505557283129267, 2.070409245987718, 1.2502573466234175)
IMAGE2_OUTPUTS = (-1.4210496434287527, -3.9308948574580924, -3.1933946662850063, 0.6275703080156385, -0.19258159134866187)
IS_CAT = (1, 1, 0, 0, 1)
PREDS = (0.5, 0.98, 0.9, 0.5, 0.9)
