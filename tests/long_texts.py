"""The longest texts people really type, at the limits of the model's columns: what printed
layouts are tested with (tests/*/test_*_layout.py)."""

from __future__ import annotations

# 200 characters: Organisation.name's limit.
LONG_ORGANISATION = ("Stowarzyszenie Przyjaciół Ziemi Kociewskiej i Powiśla na rzecz Rozwoju Społeczności "
                     "Lokalnych, Edukacji Ekologicznej, Kultury Regionalnej oraz Aktywizacji Zawodowej Osób "
                     "Starszych i Niepełnosprawnych.")
OTHER_LONG_ORGANISATION = ("Spółdzielnia Socjalna „Gościnne Kociewie” prowadząca Centrum Integracji Społecznej, "
                           "Pracownię Rękodzieła Ludowego, Jadłodajnię dla Seniorów oraz Wypożyczalnię Sprzętu "
                           "Rehabilitacyjnego w Pelplinie")
# 200 characters: Fair.name's limit.
LONG_FAIR = ("Giełda Zasobów Powiatu Tczewskiego, Gminy Pelplin, Gminy Gniew i Gminy Morzeszczyn: wspólne "
             "spotkanie organizacji pozarządowych, instytucji publicznych, przedsiębiorców i mieszkańców "
             "Kociewia 2027")
LONG_SLUG = "gielda-zasobow-powiatu-tczewskiego-pelplin-gniew-morzeszczyn-27"  # 63 characters, the limit
FIRST_NAMES = "Małgorzata Katarzyna"
LAST_NAME = "Szczepańska-Wiśniewska-Brzęczyszczykiewicz"
LONG_NAME = f"{FIRST_NAMES} {LAST_NAME}"
# One word, no hyphen: the longest Polish words are about this long.
LONG_WORD = "Konstantynopolitańczykowianeczka"
LONG_EMAIL = "malgorzata.szczepanska-wisniewska-brzeczyszczykiewicz@przyjaciele-ziemi-kociewskiej.org.pl"
LONG_URL = ("https://www.przyjaciele-ziemi-kociewskiej-i-powisla.org.pl/zasoby/regulamin-udostepniania-"
            "sali-konferencyjnej-i-sprzetu-naglosnieniowego.pdf")
LONG_PHONE = "+48 600 100 200 wew. 1234 (sekretariat, pon.–pt. 8:00–16:00)"
LONG_CATEGORY = "Sale, pomieszczenia i przestrzenie na spotkania, warsztaty, wydarzenia plenerowe"  # 80, the limit
LONG_DESCRIPTION = (
    "Udostępnienie sali konferencyjnej na 120 osób z nagłośnieniem, rzutnikiem multimedialnym, ekranem "
    f"i dostępem do internetu, wraz z zapleczem kuchennym; szczegóły w regulaminie {LONG_URL} oraz u "
    f"koordynatorki ({LONG_EMAIL}). Sala jest dostępna dla osób poruszających się na wózkach. "
    f"{LONG_WORD}.")

assert len(LONG_ORGANISATION) == 200 and len(LONG_FAIR) <= 200, (len(LONG_ORGANISATION), len(LONG_FAIR))
assert len(OTHER_LONG_ORGANISATION) <= 200 and len(LONG_SLUG) == 63 and len(LONG_CATEGORY) == 80
