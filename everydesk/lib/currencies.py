"""ISO 4217 currency codes in use, and the number of minor units (decimals) each has.

Kept here rather than pulled from a package: the list changes about once a year and
everything that reads it (settings, order import) only needs to know "is this a real
code, and how many decimals may an amount in it have".
"""

# Codes with other than two decimals; every other code below has two.
_DECIMALS = {
    "BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0,
    "TND": 3, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip

# A block of codes reads better than 130 quoted strings.
_TWO = (  # noqa: SIM905
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT "
    "LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN "
    "NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UZS VES WST "
    "XCD YER ZAR ZMW ZWG"
).split()

DECIMALS: dict[str, int] = {**dict.fromkeys(_TWO, 2), **_DECIMALS}


def is_currency(code: str) -> bool:
    return code in DECIMALS
