"""Student's t 0.975 quantiles (df 1..60), no scipy needed."""
_T = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
      11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086,
      25: 2.060, 30: 2.042, 40: 2.021, 60: 2.000}
def tq(df):
    if df in _T: return _T[df]
    ks = sorted(_T); lo = max(k for k in ks if k <= df); hi = min([k for k in ks if k >= df] or [60])
    return _T[lo] if lo == hi else _T[lo] + (_T[hi] - _T[lo]) * (df - lo) / (hi - lo)
