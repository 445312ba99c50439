"""The ``__init__`` templates of the package's record classes, compiled with the package (see
``model._template``). Written by ``python -m invocation_lint.model``: do not edit.
"""

# ruff: noqa
# the templates' free names, given values per class when a template becomes an ``__init__``
_M = _set = None
_f0 = _f1 = _f2 = _f3 = _f4 = _f5 = _f6 = _f7 = _f8 = _f9 = _f10 = _f11 = _f12 = _f13 = _f14 = _f15 = _f16 = _f17 = _f18 = _f19 = _f20 = _f21 = _f22 = _f23 = _f24 = None


def init_(self):
    pass


def init_FF(self, _a0, _a1):
    self._a0 = _f0() if _a0 is _M else _a0
    self._a1 = _f1() if _a1 is _M else _a1


def init_FFF(self, _a0, _a1, _a2):
    self._a0 = _f0() if _a0 is _M else _a0
    self._a1 = _f1() if _a1 is _M else _a1
    self._a2 = _f2() if _a2 is _M else _a2


def init_p(self, _a0):
    self._a0 = _a0


def init_pFF(self, _a0, _a1, _a2):
    self._a0 = _a0
    self._a1 = _f1() if _a1 is _M else _a1
    self._a2 = _f2() if _a2 is _M else _a2


def init_pFpFFppFpppF(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11):
    self._a0 = _a0
    self._a1 = _f1() if _a1 is _M else _a1
    self._a2 = _a2
    self._a3 = _f3() if _a3 is _M else _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self._a8 = _a8
    self._a9 = _a9
    self._a10 = _a10
    self._a11 = _f11() if _a11 is _M else _a11


def frozen_pp(self, _a0, _a1):
    _set(self, '_a0', _a0)
    _set(self, '_a1', _a1)


def init_ppFp(self, _a0, _a1, _a2, _a3):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _f2() if _a2 is _M else _a2
    self._a3 = _a3


def init_ppp(self, _a0, _a1, _a2):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2


def init_pppFFFFFFFFFFFFFFFFFFFFFFp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11, _a12, _a13, _a14, _a15, _a16, _a17, _a18, _a19, _a20, _a21, _a22, _a23, _a24, _a25):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _f3() if _a3 is _M else _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _f5() if _a5 is _M else _a5
    self._a6 = _f6() if _a6 is _M else _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self._a8 = _f8() if _a8 is _M else _a8
    self._a9 = _f9() if _a9 is _M else _a9
    self._a10 = _f10() if _a10 is _M else _a10
    self._a11 = _f11() if _a11 is _M else _a11
    self._a12 = _f12() if _a12 is _M else _a12
    self._a13 = _f13() if _a13 is _M else _a13
    self._a14 = _f14() if _a14 is _M else _a14
    self._a15 = _f15() if _a15 is _M else _a15
    self._a16 = _f16() if _a16 is _M else _a16
    self._a17 = _f17() if _a17 is _M else _a17
    self._a18 = _f18() if _a18 is _M else _a18
    self._a19 = _f19() if _a19 is _M else _a19
    self._a20 = _f20() if _a20 is _M else _a20
    self._a21 = _f21() if _a21 is _M else _a21
    self._a22 = _f22() if _a22 is _M else _a22
    self._a23 = _f23() if _a23 is _M else _a23
    self._a24 = _f24() if _a24 is _M else _a24
    self._a25 = _a25


def init_pppFFpp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _f3() if _a3 is _M else _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _a5
    self._a6 = _a6


def init_pppFppFFFp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _f3() if _a3 is _M else _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _f6() if _a6 is _M else _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self._a8 = _f8() if _a8 is _M else _a8
    self._a9 = _a9


def init_pppp(self, _a0, _a1, _a2, _a3):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3


def init_pppp_post(self, _a0, _a1, _a2, _a3):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self.__post_init__()


def init_ppppF_post(self, _a0, _a1, _a2, _a3, _a4):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self.__post_init__()


def init_ppppFFFp_post(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _f5() if _a5 is _M else _a5
    self._a6 = _f6() if _a6 is _M else _a6
    self._a7 = _a7
    self.__post_init__()


def init_ppppFFFpppFppFp_post(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11, _a12, _a13, _a14):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _f5() if _a5 is _M else _a5
    self._a6 = _f6() if _a6 is _M else _a6
    self._a7 = _a7
    self._a8 = _a8
    self._a9 = _a9
    self._a10 = _f10() if _a10 is _M else _a10
    self._a11 = _a11
    self._a12 = _a12
    self._a13 = _f13() if _a13 is _M else _a13
    self._a14 = _a14
    self.__post_init__()


def init_ppppFp(self, _a0, _a1, _a2, _a3, _a4, _a5):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _a5


def init_ppppFp_post(self, _a0, _a1, _a2, _a3, _a4, _a5):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _f4() if _a4 is _M else _a4
    self._a5 = _a5
    self.__post_init__()


def init_ppppp(self, _a0, _a1, _a2, _a3, _a4):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4


def init_ppppp_post(self, _a0, _a1, _a2, _a3, _a4):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self.__post_init__()


def frozen_ppppp(self, _a0, _a1, _a2, _a3, _a4):
    _set(self, '_a0', _a0)
    _set(self, '_a1', _a1)
    _set(self, '_a2', _a2)
    _set(self, '_a3', _a3)
    _set(self, '_a4', _a4)


def init_pppppF(self, _a0, _a1, _a2, _a3, _a4, _a5):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _f5() if _a5 is _M else _a5


def init_pppppp(self, _a0, _a1, _a2, _a3, _a4, _a5):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5


def init_ppppppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6


def init_pppppppF_post(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self.__post_init__()


def init_pppppppFF(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self._a8 = _f8() if _a8 is _M else _a8


def init_pppppppFFpFFFppppppppppppppppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11, _a12, _a13, _a14, _a15, _a16, _a17, _a18, _a19, _a20, _a21, _a22, _a23, _a24, _a25, _a26, _a27, _a28, _a29):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self._a8 = _f8() if _a8 is _M else _a8
    self._a9 = _a9
    self._a10 = _f10() if _a10 is _M else _a10
    self._a11 = _f11() if _a11 is _M else _a11
    self._a12 = _f12() if _a12 is _M else _a12
    self._a13 = _a13
    self._a14 = _a14
    self._a15 = _a15
    self._a16 = _a16
    self._a17 = _a17
    self._a18 = _a18
    self._a19 = _a19
    self._a20 = _a20
    self._a21 = _a21
    self._a22 = _a22
    self._a23 = _a23
    self._a24 = _a24
    self._a25 = _a25
    self._a26 = _a26
    self._a27 = _a27
    self._a28 = _a28
    self._a29 = _a29


def init_pppppppFFppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _f7() if _a7 is _M else _a7
    self._a8 = _f8() if _a8 is _M else _a8
    self._a9 = _a9
    self._a10 = _a10
    self._a11 = _a11


def init_pppppppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _a7


def init_pppppppppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _a7
    self._a8 = _a8
    self._a9 = _a9


def frozen_pppppppppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9):
    _set(self, '_a0', _a0)
    _set(self, '_a1', _a1)
    _set(self, '_a2', _a2)
    _set(self, '_a3', _a3)
    _set(self, '_a4', _a4)
    _set(self, '_a5', _a5)
    _set(self, '_a6', _a6)
    _set(self, '_a7', _a7)
    _set(self, '_a8', _a8)
    _set(self, '_a9', _a9)


def frozen_ppppppppppp(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10):
    _set(self, '_a0', _a0)
    _set(self, '_a1', _a1)
    _set(self, '_a2', _a2)
    _set(self, '_a3', _a3)
    _set(self, '_a4', _a4)
    _set(self, '_a5', _a5)
    _set(self, '_a6', _a6)
    _set(self, '_a7', _a7)
    _set(self, '_a8', _a8)
    _set(self, '_a9', _a9)
    _set(self, '_a10', _a10)


def init_ppppppppppppFFFpFpppF(self, _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11, _a12, _a13, _a14, _a15, _a16, _a17, _a18, _a19, _a20):
    self._a0 = _a0
    self._a1 = _a1
    self._a2 = _a2
    self._a3 = _a3
    self._a4 = _a4
    self._a5 = _a5
    self._a6 = _a6
    self._a7 = _a7
    self._a8 = _a8
    self._a9 = _a9
    self._a10 = _a10
    self._a11 = _a11
    self._a12 = _f12() if _a12 is _M else _a12
    self._a13 = _f13() if _a13 is _M else _a13
    self._a14 = _f14() if _a14 is _M else _a14
    self._a15 = _a15
    self._a16 = _f16() if _a16 is _M else _a16
    self._a17 = _a17
    self._a18 = _a18
    self._a19 = _a19
    self._a20 = _f20() if _a20 is _M else _a20
