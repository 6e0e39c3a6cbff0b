#!/usr/bin/env python3
"""Writes masker-corpus.tsv: free text as residents write it, each line labelled with the personal data it holds.

The checksums of identity codes and IBANs are computed here, independently of the masker, so that a positive is
a real code and a negative fails its check for a stated reason. Seeded: the same file every run.
Columns: text, then one column per label "kind:exact substring" (kinds id, phone, email, iban), then optionally
"#note". A line without labels holds no personal data. The nth label of a substring is its nth occurrence.
"""
import random

rnd = random.Random(20261207)
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
rows = []


def row(text, labels=(), note=None):
    for kind, value in labels:
        assert value in text, (text, value)
        assert "\t" not in text
    rows.append((text, list(labels), note))


# ---------------------------------------------------------------- identity codes
def id_parts(century):
    while True:
        y = rnd.randint(0, 99)
        m = rnd.randint(1, 12)
        d = rnd.randint(1, 28)
        if century == 1800:
            pass
        ind = rnd.choice([rnd.randint(2, 899), rnd.randint(900, 999)]) if rnd.random() < 0.2 else rnd.randint(2, 899)
        return d, m, y, ind


def check_char(d, m, y, ind):
    return CHECK[int(f"{d:02}{m:02}{y:02}{ind:03}") % 31]


def make_id(sign, century=None, lower=False, wrong=False):
    century = century or {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}.get(sign, 2000)
    d, m, y, ind = id_parts(century)
    if century == 2000:
        y = rnd.randint(0, 24)
    c = check_char(d, m, y, ind)
    if wrong:
        c = rnd.choice([x for x in CHECK if x != c])
    s = f"{d:02}{m:02}{y:02}{sign}{ind:03}{c}"
    return s.lower() if lower else s


ID_CONTEXTS = [
    "Henkilötunnukseni on {}, jos tarvitsette sitä.",
    "hetu {}",
    "Hetu: {} – tarkistakaa tiedot, en saanut kirjettä.",
    "Äitini ({}) ei saanut aikaa hammaslääkärille.",
    "Potilas {} odotti päivystyksessä viisi tuntia.",
    "Minun sotuni on {} ja osoite muuttui viime vuonna.",
    "Kirjoitan lapsen puolesta, hänen henkilötunnuksensa {}.",
    "Tässä hetuni {} niin löydätte tietoni.",
    "Olen asiakas {}, ja laskussa oli virhe.",
    "{} – tämä on tunnukseni, ottakaa yhteyttä.",
    "Min personbeteckning är {}.",
    "Personbeteckning: {}, ring gärna.",
    "Mitt barns personbeteckning {} saknades i systemet.",
    "My personal identity code is {}.",
    "ID code {} (my father's), he is 84.",
    "Please check my record, identity number {}.",
    "tunnus:{}",
    "Sotu {}. Kiitos.",
    "Tarvitsin reseptin uusinnan ({}) mutta apteekki ei saanut sitä.",
    "Hoitaja kysyi hetuani {} puhelimessa kolme kertaa.",
]

CENTURY_SIGNS = ["+", "-", "A", "B", "C", "D", "E", "F", "Y", "X", "W", "V", "U"]
for sign in CENTURY_SIGNS:
    for i in range(6):
        v = make_id(sign, lower=(i == 5 and sign not in "+-"))
        row(rnd.choice(ID_CONTEXTS).format(v), [("id", v)], f"century sign {sign}")
# lowercase check character only
for i in range(4):
    v = make_id(rnd.choice("-A"))
    v = v[:-1] + v[-1].lower()
    row(rnd.choice(ID_CONTEXTS).format(v), [("id", v)], "check character in lowercase")

SEPARATORS = [(" ", "space"), ("\u2013", "en dash"), ("\u2014", "em dash"), ("\u2212", "minus sign"), ("\u2011", "non-breaking hyphen"),
              ("\u2010", "hyphen U+2010"), ("\u00a0", "no-break space"), ("", "no separator"), (" - ", "spaced hyphen"), (" \u2013 ", "spaced en dash")]
SEP_COUNTS = {" ": 12, "\u2013": 10, "\u2014": 6, "\u2212": 4, "\u2011": 3, "\u2010": 2, "\u00a0": 3, "": 12, " - ": 4, " \u2013 ": 3}
for sep, name in SEPARATORS:
    for i in range(SEP_COUNTS[sep]):
        base = make_id(rnd.choice("-A"))
        v = base[:6] + sep + base[7:]
        row(rnd.choice(ID_CONTEXTS).format(v), [("id", v)], f"{name} in place of the century sign")

# negatives: wrong check character in every form
for i in range(30):
    sign = rnd.choice(CENTURY_SIGNS)
    base = make_id(sign, wrong=True)
    sep = rnd.choice(["SIGN", "SIGN", " ", "\u2013", ""])
    v = base if sep == "SIGN" else base[:6] + sep + base[7:]
    row(rnd.choice(ID_CONTEXTS).format(v), [], "wrong check character")


def dated_wrong(d, m, y, sign, ind):
    return f"{d:02}{m:02}{y:02}{sign}{ind:03}{check_char(d, m, y, ind)}"


row("Koodi " + dated_wrong(29, 2, 0, "-", 234) + " ei käy.", [], "29.2.1900 did not exist; check right")
row("Numero " + dated_wrong(29, 2, 1, "A", 234) + " palautui.", [], "29.2.2001 did not exist")
row("Viite " + dated_wrong(31, 4, 90, "-", 123) + " lomakkeessa.", [], "31 April; check right")
row("Tunnus " + dated_wrong(12, 13, 90, "-", 123) + " on väärin.", [], "month 13; check right")
row("Kenttään kirjoitin " + dated_wrong(0, 5, 85, "-", 321) + ".", [], "day 0; check right")
row("Sarjanumero " + dated_wrong(15, 0, 85, "A", 321) + " laitteessa.", [], "month 0; check right")
row("Koodi " + dated_wrong(1, 1, 1, "A", 1) + " ei ole annettu.", [], "individual number 001 is never given")
row("Koodi " + dated_wrong(1, 1, 1, "A", 0) + " ei ole annettu.", [], "individual number 000 is never given")
row("Syntymäaikani 131052 ja loppuosa 308T on lomakkeessa.", [], "parts apart")
row("Lomakkeessa oli 131052-308 ilman tarkistetta.", [], "no check character")
row("Sain koodin X131052-308T viestissä.", [], "inside a longer code")
row("Tilausnumero 9131052-308T näkyy kuitissa.", [], "inside a longer number")
row("Tuotekoodi 131052-308TA on loppu.", [], "longer code")
row("Y-tunnus 1234567-8 on laskussa.", [], "business id")
row("Yrityksen Y-tunnus 0112038-9 löytyy YTJ:stä.", [], "business id")
row("Tilinumero 123456-785 (vanha muoto).", [], "old bank account number")
row("Syntynyt 13.10.1952, nyt 72-vuotias.", [], "a birth date")
row("Päivämäärä 131052 ja kello 308.", [], "digits apart")
row("Versio 120324-001A julkaistiin eilen.", [], "version-like code, check wrong")
for i in range(10):
    # ten digits with a digit where the check character would be, failing the check
    while True:
        d, m, y, ind = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(0, 99), rnd.randint(2, 899)
        c = str(rnd.randint(0, 9))
        if c != check_char(d, m, y, ind):
            break
    v = f"{d:02}{m:02}{y:02}{ind:03}{c}"
    row(rnd.choice(["Tilausnumero {} ei toiminut.", "Asiakasnumeroni on {}.", "Ordernummer {} kom aldrig.", "Order {} never arrived.", "Lähetystunnus {}."]).format(v), [], "ten digits failing the check")

# ---------------------------------------------------------------- phones
def digits(n):
    return "".join(str(rnd.randint(0, 9)) for _ in range(n))


def mobile_prefix():
    return rnd.choice(["040", "041", "044", "045", "046", "050", "050", "040", "044", "0400", "0440", "0500", "042", "049"])


def fi_mobile(style):
    p = mobile_prefix()
    rest = digits(7 if len(p) == 3 else 6)
    a, b = rest[:3], rest[3:]
    styles = {
        "spaces": f"{p} {a} {b}",
        "compact": f"{p}{rest}",
        "hyphen": f"{p}-{rest}",
        "hyphen-space": f"{p}-{a} {b}",
        "pairs": f"{p} {a} {b[:2]} {b[2:]}" if len(b) == 4 else f"{p} {a} {b}",
        "four-three": f"{p} {rest[:4]} {rest[4:]}",
        "dots": f"{p}.{a}.{b}",
        "slash": f"{p}/{a} {b}",
        "slash-compact": f"{p}/{rest}",
        "parens": f"({p}) {a} {b}",
        "endash": f"{p}\u2013{a} {b}",
        "nbsp": f"{p}\u00a0{a}\u00a0{b}",
        "hyphens": f"{p}-{a}-{b}",
        "+358": f"+358 {p[1:]} {a} {b}",
        "+358compact": f"+358{p[1:]}{rest}",
        "+358(0)": f"+358 (0){p[1:]} {a} {b}",
        "+358(0)tight": f"+358(0){p[1:]}-{a} {b}",
        "+358-": f"+358-{p[1:]}-{rest}",
        "+358 0": f"+358 {p} {a} {b}",
        "+358dots": f"+358.{p[1:]}.{a}.{b}",
        "358": f"358 {p[1:]} {a} {b}",
        "358compact": f"358{p[1:]}{rest}",
        "00358": f"00358 {p[1:]} {a} {b}",
        "00358compact": f"00358{p[1:]}{rest}",
        "00 358": f"00 358 {p[1:]} {a} {b}",
        "+358 hyphen": f"+358 {p[1:]}-{a} {b}",
    }
    return styles[style]


def fi_landline(style):
    area = rnd.choice(["09", "09", "03", "02", "013", "014", "017", "019", "06", "08", "05"])
    n = digits(rnd.choice([6, 7]) if len(area) == 2 else 6)
    a, b = n[:3], n[3:]
    return {
        "hyphen": f"{area}-{a} {b}",
        "spaces": f"{area} {a} {b}",
        "parens": f"({area}) {a} {b}",
        "compact": f"{area}{n}",
        "hyphen-compact": f"{area}-{n}",
        "+358": f"+358 {area[1:]} {a} {b}",
        "+358(0)": f"+358 (0){area[1:]} {a} {b}",
        "slash": f"{area}/{n}",
    }[style]


def service(style):
    return {
        "0800": f"0800 {digits(3)} {digits(3)}",
        "0800-": f"0800-{digits(3)}-{digits(3)}",
        "0800five": f"0800 {digits(5)}",
        "010": f"010 {digits(3)} {digits(4)}",
        "020": f"020 {digits(3)} {digits(4)}",
        "029": f"029 {digits(3)} {digits(4)}",
    }[style]


def foreign(style):
    return {
        "+46": f"+46 8 {digits(3)} {digits(3)} {digits(2)}",
        "+46m": f"+46 70 {digits(3)} {digits(2)} {digits(2)}",
        "+46c": f"+4670{digits(7)}",
        "0046": f"0046 70 {digits(3)} {digits(2)} {digits(2)}",
        "+46(0)": f"+46 (0)70-{digits(3)} {digits(2)} {digits(2)}",
        "+49": f"+49 30 {digits(7)}",
        "+49(0)": f"+49 (0)30 {digits(3)} {digits(4)}",
        "+49m": f"+49 171 {digits(7)}",
        "0049": f"0049 171 {digits(7)}",
        "+44": f"+44 20 {digits(4)} {digits(4)}",
        "+44m": f"+44 7700 {digits(6)}",
        "+1": f"+1 (555) {digits(3)}-{digits(4)}",
        "+1s": f"+1 555 {digits(3)} {digits(4)}",
        "+1-": f"+1-555-{digits(3)}-{digits(4)}",
        "+372": f"+372 5{digits(3)} {digits(4)}",
        "+47": f"+47 {digits(3)} {digits(2)} {digits(3)}",
        "+45": f"+45 {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
        "+33": f"+33 6 {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
        "+33.": f"+33.1.{digits(2)}.{digits(2)}.{digits(2)}.{digits(2)}",
        "+7": f"+7 495 {digits(3)}-{digits(2)}-{digits(2)}",
        "+31": f"+31 6 {digits(8)}",
        "+34": f"+34 6{digits(2)} {digits(3)} {digits(3)}",
        "+39": f"+39 3{digits(2)} {digits(3)} {digits(4)}",
        "+48": f"+48 5{digits(2)} {digits(3)} {digits(3)}",
    }[style]


PHONE_CONTEXTS = [
    "Soittakaa minulle numeroon {} niin kerron lisää.",
    "Puh. {}",
    "puh {} (iltaisin)",
    "Voitte soittaa {} arkisin klo 9–16.",
    "Numeroni on {}, soita kun ehdit.",
    "Lääkäri lupasi soittaa takaisin mutta ei soittanut. Numeroni {}.",
    "Yhteystiedot: {}",
    "gsm {}",
    "p. {} / Liisa",
    "Tyttäreni hoitaa asiani, hänen numeronsa on {}.",
    "Jos haluatte kysyä lisää: {}.",
    "Odotin 45 minuuttia 1.2.2024 ja soitin sitten numeroon {}, kukaan ei vastannut.",
    "Tekstiviesti numeroon {} riittää.",
    "Olen tavoitettavissa {} klo 8.00–10.00.",
    "Ring mig på {} efter kl. 17.",
    "Mitt nummer är {}.",
    "Tel. {}",
    "Ni kan nå mig på {} vardagar.",
    "Call me on {} if you need more details.",
    "My number is {}.",
    "Phone: {}",
    "You can text me at {} anytime.",
    "Reach me at {} after 5 pm.",
    "{} – soittakaa tähän, sähköpostia en lue.",
    "Soitin neuvontaan ({}) mutta jono oli pitkä.",
    "tel:{}",
    "puh:{}",
    "Kotihoidon numero on muuttunut, uusi on {}?",
]

MOBILE_STYLES = ["spaces"] * 4 + ["compact"] * 3 + ["hyphen", "hyphen-space", "pairs", "four-three", "dots", "dots", "slash", "slash-compact", "parens",
                 "endash", "nbsp", "hyphens", "+358", "+358", "+358compact", "+358(0)", "+358(0)tight", "+358-", "+358 0", "+358dots", "358",
                 "358compact", "00358", "00358compact", "00 358", "+358 hyphen"]
for style in MOBILE_STYLES:
    for i in range(3):
        v = fi_mobile(style)
        row(rnd.choice(PHONE_CONTEXTS).format(v), [("phone", v)], f"Finnish mobile, {style}")
for style in ["hyphen", "spaces", "parens", "compact", "hyphen-compact", "+358", "+358(0)", "slash"]:
    for i in range(4):
        v = fi_landline(style)
        row(rnd.choice(PHONE_CONTEXTS).format(v), [("phone", v)], f"Finnish landline, {style}")
for style in ["0800", "0800-", "0800five", "010", "020", "029"]:
    for i in range(2):
        v = service(style)
        row(rnd.choice(PHONE_CONTEXTS).format(v), [("phone", v)], f"service number, {style}")
for style in ["+46", "+46m", "+46c", "0046", "+46(0)", "+49", "+49(0)", "+49m", "0049", "+44", "+44m", "+1", "+1s", "+1-", "+372", "+47", "+45",
              "+33", "+33.", "+7", "+31", "+34", "+39", "+48"]:
    for i in range(2):
        v = foreign(style)
        row(rnd.choice(PHONE_CONTEXTS).format(v), [("phone", v)], f"foreign, {style}")
# two numbers in one answer
for i in range(6):
    a, b = fi_mobile(rnd.choice(MOBILE_STYLES)), fi_mobile(rnd.choice(MOBILE_STYLES))
    row(f"Minun numeroni {a} tai puolison {b}.", [("phone", a), ("phone", b)], "two numbers")
for i in range(3):
    a, b = fi_mobile("spaces"), fi_landline("hyphen")
    row(f"Ring {a} eller hem {b}.", [("phone", a), ("phone", b)], "two numbers")

PHONE_NEGATIVES = [
    ("Kävin vastaanotolla 1.2.2024 ja uudestaan 15.3.2024.", "dates"),
    ("Aika oli 01.02.2024 klo 09.00, mutta pääsin sisään 10.30.", "dates and times"),
    ("Päivystys oli kiinni 01.02.-05.02.2024 remontin takia.", "date range"),
    ("Leikkaus siirtyi 2024-02-01 → 2024-03-15.", "ISO dates"),
    ("Lomake päivätty 01/02/2024, vastaus tuli 15/03/2024.", "dates with slashes"),
    ("Käynti 1/2/2024 oli hyvä.", "date with slashes"),
    ("Aukioloajat 08.00–16.00, lauantaisin 09.00-14.00.", "opening hours"),
    ("Vastaanotto klo 8.30-16.00 ja 08:00–12:00.", "times"),
    ("Jonotin 09:15–11:45 eli 2,5 tuntia.", "times"),
    ("Hinta oli 1 234,50 € ja alennus 0,99 €.", "prices"),
    ("Lasku 12 345 678 euroa on iso summa kunnalle.", "amount"),
    ("Budjetti on 1 000 000 euroa ja toteuma 0,98 milj.", "amounts"),
    ("Asiakasmaksu nousi 0,5 % eli 1,20 € käynniltä.", "percent and price"),
    ("Postinumero 33100 Tampere, ennen asuin 00100 Helsinki.", "postal codes"),
    ("Osoite: Hämeenkatu 10 A 5, 33100 Tampere.", "address"),
    ("FI-33100 Tampere on toimipisteen osoite.", "postal code with country"),
    ("Vuosina 2019–2023 palvelu heikkeni, 2024 parani.", "years"),
    ("Tilausnumero 123456789 ei näy järjestelmässä.", "order number"),
    ("Tilausnumero 0012345678 ei toiminut verkkokaupassa.", "order number starting with 00"),
    ("Laskun numero 2024-001234 on väärä.", "invoice number"),
    ("Laskunumero 0034567890, eräpäivä 15.3.2024.", "invoice number starting with 0"),
    ("Viitenumero 12345 67890 12 ei kelvannut pankille.", "reference number"),
    ("Viite 00 00012 34561 hyväksyttiin.", "reference number starting with 00"),
    ("Asiakasnumeroni 0012345 löytyy kortista.", "customer number"),
    ("Potilasnumero 0009876543 oli ajanvarauksessa.", "patient number starting with 00"),
    ("Ohjelman versio 1.2.3 kaatuu, päivitin versioon 10.0.19045.", "versions"),
    ("Sovellus v2.10.0 ei aukea Androidilla 14.", "versions"),
    ("Ottelu päättyi 3-2 ja toinen 2–1.", "scores"),
    ("Pituus 180 cm, paino 75,5 kg, verenpaine 140/90.", "measurements"),
    ("Lääkettä 0,5 mg aamulla ja 0,25 mg illalla.", "doses"),
    ("Laatikko 10 x 20 x 30 cm ja 0,75 l pullo.", "measurements"),
    ("ISBN 978-951-0-12345-6 on kirjan tunnus.", "ISBN"),
    ("Annoin arvosanan 0 - 10 asteikolla 7.", "scale"),
    ("Huone 0123 oli kylmä, lämpötila -5 °C ulkona ja +18 °C sisällä.", "room and temperatures"),
    ("Soitin päivystysapuun 116 117, vastaus tuli nopeasti.", "public health advice number, 6 digits"),
    ("Hätänumero 112 vastasi heti.", "emergency number"),
    ("Bussi 1 ja 3 kulkevat 15 min välein, linja 70 harvemmin.", "bus lines"),
    ("Odotusaika oli 0-2 viikkoa, nyt 3-6 viikkoa.", "ranges"),
    ("Koodi 0000 ei toiminut ovessa, PIN 1234 toimi.", "codes"),
    ("Tulos oli 0,1–0,5 mmol/l, viitearvo 0,0-0,4.", "lab values"),
    ("Vuonna 2023 kävin 3 kertaa, 2024 jo 5 kertaa.", "years and counts"),
    ("Kella 07.00-08.00 on ruuhkaa, 06-12 rauhallisempaa.", "times"),
    ("Aikaa 2 h 30 min, matka 0,8 km.", "measurements"),
    ("Sain lähetteen 12.12.2023 ja ajan 01.03.2024.", "dates"),
    ("Mellan 08.00 och 16.00 är det kö, den 1.2.2024 väntade jag 45 minuter.", "Swedish times"),
    ("Priset var 1 299 kr och rabatten 10 %.", "Swedish price"),
    ("I waited from 09:00 to 11:30 on 2024-02-01.", "English time and date"),
    ("The fee went up by 0.5% to €12.50 per visit.", "English price"),
    ("Score 3-2, final 2-1 after extra time.", "English scores"),
    ("Version 0.9.12 of the app crashes.", "version starting with 0"),
    ("Koordinaatit 61.4978, 23.7610 ovat väärin kartalla.", "coordinates"),
    ("Vuosi 2024, viikko 05, päivä 01.", "week"),
    ("Tulot 0–20 000 €/v, 20 001–40 000 €/v.", "income bands"),
    ("Kysely 2024/05 ja 2024/06 vertailussa.", "periods"),
    ("Jono-numero 045 ja seuraava 046.", "queue numbers"),
    ("Sarjanumero SN 0401-2345-67 on laitteen pohjassa.", "serial number with a mobile-like start"),
    ("Diaarinumero 0123/2024 käsittelyssä.", "record number"),
    ("Tapausnumero 0987654321 annettiin asiakaspalvelussa.", "case number starting with 0"),
    ("Kuitin numero 00045678 ja kassa 03.", "receipt number"),
    ("Lähetystunnus JJFI 6543 2100 0123 4567 8 ei päivity.", "parcel tracking code"),
    ("Pakettikoodi 00373500123456789012 seurannassa.", "parcel code"),
    ("Kävin 3.–5.4. kuntoutuksessa ja 12.–14.6. uudestaan.", "date ranges"),
    ("Henkilökuntaa oli 04.00 jälkeen vain 2.", "time"),
    ("Aukeaa 9-16, la 10-14, su suljettu.", "hours"),
    ("Koulutus 02.09.–06.09.2024, Tampere.", "date range"),
    ("Väkiluku 358 401 henkeä vuonna 2023.", "population figure starting with 358"),
    ("Budjettimuutos +1 234 567 € ja -2 345 678 €.", "signed amounts"),
    ("Lämpötila nousi +0,5 astetta.", "signed value"),
    ("Äänestystulos 058 - 042 hyväksyttiin.", "vote count"),
    ("Tuote nro 0800-ABC loppui.", "product code"),
    ("Luvut 0 1 2 3 4 5 6 7 8 9 näkyivät näytöllä.", "digits listed"),
]
for text, note in PHONE_NEGATIVES:
    row(text, [], note)

# ---------------------------------------------------------------- emails
FIRST = ["matti", "liisa", "anna-liisa", "pekka", "aino", "juha", "sari", "mikko", "kirsi", "ville", "elina", "jussi", "tuula", "kalle", "maija",
         "erik", "karin", "lars", "john", "mary", "ääkkönen", "öhman", "åsa"]
LAST = ["meikalainen", "virtanen", "korhonen", "nieminen", "makinen", "lindqvist", "smith", "heikkinen", "koskinen", "jarvinen", "lahtinen"]
DOMAINS = ["example.fi", "esimerkki.fi", "gmail.com", "hotmail.com", "outlook.com", "kolumbus.fi", "luukku.com", "suomi24.fi", "yahoo.se",
           "elisanet.fi", "saunalahti.fi", "pp.inet.fi", "tuni.fi", "student.uta.fi", "example.com", "exempel.se", "mail.example.org", "icloud.com",
           "pirkanmaa.fi", "web.de"]


def local():
    f, l = rnd.choice(FIRST), rnd.choice(LAST)
    return rnd.choice([f"{f}.{l}", f"{f}", f"{f}{rnd.randint(1, 99)}", f"{f[0]}.{l}", f"{f}_{l}", f"{f}-{l}", f"{f}.{l}{rnd.randint(50, 99)}",
                       f"{f}+kysely", f"{l}.{f}"])


def spell(style):
    lp, dom = local(), rnd.choice(DOMAINS)
    parts = dom.split(".")
    simple = lp.replace("+kysely", "")

    def join(sep):
        return sep.join(parts)

    return {
        "plain": f"{lp}@{dom}",
        "upper": f"{lp.capitalize()}@{dom.upper()}",
        "spaced@": f"{simple} @ {dom}",
        "@space-after": f"{simple}@ {dom}",
        "@space-before": f"{simple} @{dom}",
        "(at)": f"{simple}(at){dom}",
        "(at)spaced": f"{simple} (at) {dom}",
        "[at]": f"{simple}[at]{dom}",
        "[at]spaced": f"{simple} [at] {dom}",
        "{at}": f"{simple}{{at}}{dom}",
        "<at>": f"{simple}<at>{dom}",
        "at.": f"{simple} at {dom}",
        "at dot": f"{simple} at {join(' dot ')}",
        "AT DOT": f"{simple} AT {join(' DOT ')}",
        "[at][dot]": f"{simple} [at] {join(' [dot] ')}",
        "[at][dot]tight": f"{simple}[at]{join('[dot]')}",
        "(at)(dot)": f"{simple}(at){join('(dot)')}",
        "(at)(dot)spaced": f"{simple} (at) {join(' (dot) ')}",
        "ät piste": f"{simple} ät {join(' piste ')}",
        "ät.": f"{simple} ät {dom}",
        "(ät)": f"{simple}(ät){dom}",
        "[ät]": f"{simple} [ät] {join(' [piste] ')}",
        "(a)": f"{simple}(a){dom}",
        "(a)spaced": f"{simple} (a) {dom}",
        "[a]": f"{simple}[a]{dom}",
        "fullwidth": f"{simple}\uff20{dom}",
        "fullwidth spaced": f"{simple} \uff20 {dom}",
        "miukumauku": f"{simple} miukumauku {join(' piste ')}",
        "kissanhäntä": f"{simple} kissanhäntä {dom}",
        "snabel-a": f"{simple} snabel-a {join(' punkt ')}",
        "at punkt": f"{simple} at {join(' punkt ')}",
        "piste local": f"{simple.replace('.', ' piste ')} ät {join(' piste ')}",
        "dot local": f"{simple.replace('.', ' dot ')} at {join(' dot ')}",
        "@ piste": f"{simple}@{join(' piste ')}",
        "@ (dot)": f"{simple}@{join('(dot)')}",
    }[style]


EMAIL_CONTEXTS = [
    "Vastaus minulle: {} kiitos.",
    "Sähköpostini on {}, laittakaa viestiä.",
    "s-posti {}",
    "Lähettäkää kutsu osoitteeseen {}.",
    "Yhteydenotot {} (ei puhelimella).",
    "Olen kirjoittanut teille jo kahdesti osoitteesta {} eikä kukaan vastannut.",
    "Tyttäreni sähköposti: {}",
    "Min e-post är {}.",
    "Skriv till {}, tack.",
    "E-post: {}",
    "Email me at {} please.",
    "My email is {}.",
    "Contact: {}",
    "Reach me via {} anytime.",
    "{} – tähän osoitteeseen vastaus.",
    "Voitte kysyä lisää ({}).",
    "sposti:{}",
    "Meili {} toimii parhaiten.",
]
EMAIL_STYLES = {"plain": 14, "upper": 4, "spaced@": 4, "@space-after": 3, "@space-before": 3, "(at)": 5, "(at)spaced": 3, "[at]": 4,
                "[at]spaced": 3, "{at}": 2, "<at>": 2, "at.": 4, "at dot": 8, "AT DOT": 3, "[at][dot]": 5, "[at][dot]tight": 3, "(at)(dot)": 3,
                "(at)(dot)spaced": 3, "ät piste": 6, "ät.": 3, "(ät)": 2, "[ät]": 2, "(a)": 4, "(a)spaced": 2, "[a]": 2, "fullwidth": 4,
                "fullwidth spaced": 2, "miukumauku": 2, "kissanhäntä": 2, "snabel-a": 3, "at punkt": 3, "piste local": 3, "dot local": 3,
                "@ piste": 2, "@ (dot)": 2}
for style, n in EMAIL_STYLES.items():
    for i in range(n):
        v = spell(style)
        ctx = rnd.choice(EMAIL_CONTEXTS)
        row(ctx.format(v), [("email", v)], f"email, {style}")

EMAIL_NEGATIVES = [
    ("Meet me at the library at 5 pm.", "at in English"),
    ("I arrived at noon and waited at the desk.", "at in English"),
    ("I work at the hospital, dot the i's and cross the t's.", "at and dot in English"),
    ("The nurse looked at me and said nothing.", "at"),
    ("At least they answered, at last.", "at"),
    ("Please look at the website example.fi for details.", "website"),
    ("Tiedot löytyvät sivulta www.example.fi/palaute.", "URL"),
    ("Katso https://www.pirkanmaa.fi/asukaspaneeli lisätietoja varten.", "URL"),
    ("Lähetä palautetta osoitteeseen @kunta tai #hashtag.", "handle"),
    ("Seuraa meitä Instagramissa @hyvinvointialue.", "handle"),
    ("Sain täydet pisteet, piste.", "piste"),
    ("Lauseen loppuun tulee piste ja sitten uusi lause.", "piste"),
    ("Piste i:n päälle olisi ollut parempi palvelu.", "piste"),
    ("Annoin 5 pistettä ja piste fi-kielessä.", "piste"),
    ("Ät mer frukt och grönsaker, sa läkaren.", "Swedish verb ät"),
    ("Barnen ät lunch klockan elva, punkt slut.", "Swedish ät and punkt"),
    ("Det var en punkt på listan som saknades.", "punkt"),
    ("Hinta @ 5 €/kpl oli kallis.", "at sign as price"),
    ("Tavataan klo 10 @ kirjasto.", "at sign as place"),
    ("Valitsin vaihtoehdon (a) eli kyllä, en (b).", "list letter"),
    ("Kohdat (a) ja (b) olivat epäselviä.", "list letter"),
    ("Raportti.pdf ja liite.docx puuttuivat.", "file names"),
    ("Osoite @example.fi oli väärin kirjoitettu.", "domain without local part"),
    ("Kirjoitin nimi@ mutta loppu puuttui.", "incomplete"),
    ("AT-kortti eli ammattitaitokortti vaadittiin.", "AT abbreviation"),
    ("Käytin sovellusta Omakanta.fi ja Kanta.fi.", "domains"),
    ("Sivusto kela.fi ei toiminut.", "domain"),
    ("I was at home dot com era stuff is over.", "at home"),
    ("He said he works at Google dot com.", "works at a company (not an address)"),
    ("Best regards, at your service.", "at"),
    ("The dot on the map was at the wrong place.", "dot and at"),
    ("Look at this: 5 dot 3 percent.", "dot"),
    ("Sähköposti ei toiminut, joten soitin.", "mentions email only"),
    ("En antanut sähköpostiani, en halua mainoksia.", "mentions email only"),
    ("Email addresses should not be asked at all.", "mentions email"),
    ("Kysely tuli sähköpostiin mutta linkki ei toiminut.", "mentions email"),
    ("Palvelu pisteessä oli hyvä, piste fi.", "piste fi without address"),
    ("Version 2.0 at last dot release.", "at and dot"),
    ("Asiakaspalvelu at its best.", "at"),
    ("Kello 12 @ Tampere-talo.", "at sign as place"),
    ("Tilaa uutiskirje sivuilla (at) pirkanmaa.", "at without address"),
    ("Hinta-laatusuhde 5/5 @ hyvä.", "at sign"),
    ("Lapsi oli at-tilassa, eli ei mitään.", "at word"),
    ("Meeting at 9 dot 30 was moved.", "at and dot time"),
    ("Sain kirjeen, jossa oli ＠-merkki väärin.", "full-width at sign alone"),
]
for text, note in EMAIL_NEGATIVES:
    row(text, [], note)

# ---------------------------------------------------------------- IBANs
IBAN_LENGTH = {"FI": 18, "SE": 24, "DE": 22, "EE": 20, "NO": 15, "DK": 18, "GB": 22, "FR": 27, "ES": 24, "NL": 18, "BE": 16, "IT": 27, "AT": 20,
               "CH": 21, "PL": 28, "LV": 21, "LT": 20}


def bban(country):
    n = IBAN_LENGTH[country] - 4
    if country == "GB":
        return rnd.choice(["NWBK", "BARC", "HBUK"]) + digits(n - 4)
    if country == "NL":
        return rnd.choice(["ABNA", "INGB", "RABO"]) + digits(n - 4)
    if country == "IT":
        return "X" + digits(n - 1)
    if country == "LV":
        return "HABA" + digits(n - 4)
    return digits(n)


def iban_check(country, b):
    s = b + country + "00"
    num = int("".join(str(int(c, 36)) for c in s))
    return f"{98 - num % 97:02}"


def make_iban(country, wrong=False):
    b = bban(country)
    c = iban_check(country, b)
    if wrong:
        c = f"{(int(c) + rnd.randint(1, 90)) % 97 + 2:02}" if True else c
        if c == iban_check(country, b):
            c = f"{(int(c) + 1) % 100:02}"
    return country + c + b


def group(s, sep=" "):
    return sep.join(s[i:i + 4] for i in range(0, len(s), 4))


IBAN_CONTEXTS = [
    "Palauttakaa liikaa maksettu maksu tililleni {}.",
    "Tilinumero {}",
    "IBAN: {}",
    "Maksu tilille {} kiitos, lasku oli väärä.",
    "Korvaus voidaan maksaa tilille {} (Nordea).",
    "Tilini on {}, saaja Matti M.",
    "Återbetala till mitt konto {}.",
    "Kontonummer: {}",
    "Please refund to IBAN {} as soon as possible.",
    "My account is {}.",
    "Tili: {}, viite tulossa.",
    "Rahat tilille {}!",
]
for i in range(40):
    v = make_iban("FI")
    style = rnd.choice(["group", "group", "group", "compact", "lower-group", "nbsp"])
    text_v = {"group": group(v), "compact": v, "lower-group": group(v).lower(), "nbsp": group(v, "\u00a0")}[style]
    row(rnd.choice(IBAN_CONTEXTS).format(text_v), [("iban", text_v)], f"Finnish IBAN, {style}")
for country in [c for c in IBAN_LENGTH if c != "FI"]:
    for i in range(4):
        v = make_iban(country)
        text_v = group(v) if i % 2 == 0 else v
        row(rnd.choice(IBAN_CONTEXTS).format(text_v), [("iban", text_v)], f"IBAN {country}")
for i in range(4):
    a, b = group(make_iban("FI")), group(make_iban("SE"))
    row(f"Tilit {a} ja {b}.", [("iban", a), ("iban", b)], "two IBANs")

for i in range(30):
    country = rnd.choice(list(IBAN_LENGTH))
    v = make_iban(country, wrong=True)
    row(rnd.choice(IBAN_CONTEXTS).format(group(v) if i % 2 == 0 else v), [], f"IBAN {country} with a wrong checksum")
IBAN_NEGATIVES = [
    ("Viitenumero RF18 5390 0754 7034 maksussa.", "creditor reference (RF), not an account"),
    ("Maksoin viitteellä RF71 4562 1.", "creditor reference"),
    ("BIC NDEAFIHH ja OKOYFIHH ovat pankkien tunnuksia.", "BIC codes"),
    ("Tuotekoodi AB12 3456 7890 ei löytynyt.", "product code with an unknown country"),
    ("Koodi FI12 AB oli lomakkeessa.", "too short"),
    ("Rekisterinumero ABC-123 ja FIN-55.", "car plates"),
    ("Korttinumero 4111 1111 1111 1111 on testikortti.", "card number"),
    ("Tilinumero 123456-785 vanhassa muodossa.", "old Finnish account"),
    ("Kuitti FI-33100-2024-0001.", "code starting FI"),
    ("Lomake SE 2024 1234 palautettu.", "form code"),
    ("Postilokero FI-00101 Helsinki.", "postal code"),
    ("Sopimus DE2024-55 / FR 33 uusittu.", "contract codes"),
]
for text, note in IBAN_NEGATIVES:
    row(text, [], note)

# ---------------------------------------------------------------- mixed and ordinary
for i in range(25):
    pid = make_id(rnd.choice(CENTURY_SIGNS))
    ph = fi_mobile(rnd.choice(MOBILE_STYLES))
    em = spell(rnd.choice(list(EMAIL_STYLES)))
    ib = group(make_iban("FI"))
    pick = rnd.sample([("id", pid), ("phone", ph), ("email", em), ("iban", ib)], rnd.randint(2, 4))
    words = {"id": "hetu {}", "phone": "puh. {}", "email": "s-posti {}", "iban": "tili {}"}
    text = "Tiedot: " + ", ".join(words[k].format(v) for k, v in pick) + ". Odotin 3 viikkoa vastausta 12.2.2024."
    row(text, pick, "mixed")

ORDINARY = [
    "Palvelu oli ystävällistä ja nopeaa, kiitos henkilökunnalle.",
    "Jonotin puhelimessa yli tunnin, ja sitten puhelu katkesi.",
    "Lääkäri kuunteli, mutta aikaa oli liian vähän.",
    "Toivoisin iltavastaanottoja myös Nokialle.",
    "Vanhempani asuvat Orivedellä ja kotihoito käy neljä kertaa päivässä.",
    "Hammashoitolaan pääsi vasta kolmen kuukauden päästä.",
    "Sähköinen ajanvaraus toimi hyvin, mutta tekstiviestimuistutus ei tullut.",
    "En ole tyytyväinen, koska kukaan ei soittanut takaisin vaikka lupasivat.",
    "Hoitaja oli ammattitaitoinen ja selitti asiat selkeästi.",
    "Liian pitkä matka keskussairaalaan, bussi kulkee harvoin.",
    "Vårdcentralen i Tammerfors svarade snabbt och vänligt.",
    "Jag fick vänta tre veckor på en tid, det är för länge.",
    "Personalen var trevlig men det fanns ingen svensk service.",
    "The staff were kind but nobody spoke English at the reception.",
    "I had to wait at the emergency department for six hours.",
    "It would help to get text reminders before appointments.",
    "Kotihoidon työntekijät vaihtuvat liian usein.",
    "Neuvolan terveydenhoitaja oli tosi hyvä, kiitos!",
    "Mielenterveyspalveluihin on vaikea päästä, jonot ovat pitkiä.",
    "Pelastuslaitoksen kotikäynti oli hyödyllinen.",
    "Kyselyssä oli liikaa kysymyksiä.",
    "Vastaanotolla oli kylmä ja tuolit epämukavia.",
    "Ajanvarausnumero vastasi vasta toisella kerralla.",
    "Kun soitin, kuulin vain nauhoitteen.",
    "Sosiaalityöntekijä auttoi hakemuksen kanssa.",
    "Äitini hoito osastolla 5 oli erinomaista.",
    "Osasto 3B:n henkilökunta ansaitsee kiitoksen.",
    "Tarvitsen kuljetuspalvelun kahdesti viikossa.",
    "Laskussa oli virhe, se korjattiin viikossa.",
    "Piste ja pilkku puuttuivat kirjeestä, oli vaikea lukea.",
    "Omalääkäri vaihtui kolme kertaa vuodessa.",
    "Terveysasema aukeaa liian myöhään, klo 8 on myöhä.",
    "Kiitos että saa vastata nimettömästi.",
    "Puhelinnumeroa ei kannata kysyä, en anna sitä.",
    "Soittakaa mieluummin kuin lähetätte kirjeitä.",
    "En halua antaa henkilötunnustani kyselyyn.",
    "Vastaanoton numero oli vaihtunut eikä siitä kerrottu.",
    "Digital services at the health centre work well.",
    "Omakanta toimii, mutta viestit eivät näy.",
    "Tilaisin tietoja sähköpostilla enkä paperilla.",
    "Kävin 4 kertaa päivystyksessä vuoden 2024 aikana.",
    "Olen 72-vuotias ja asun yksin.",
    "Meillä on 3 lasta, 2 heistä koulussa.",
    "Elämänlaatu 7/10, palvelu 8/10.",
    "Kolmasosa ajasta kului odottamiseen.",
    "Vammaispalvelun päätös tuli 6 kk myöhässä.",
    "Suun terveydenhuolto parani selvästi.",
    "Ambulanssi tuli 12 minuutissa, hyvä!",
    "Ateriapalvelun ruoka oli kylmää.",
    "Kiitos kyselystä.",
]
for text in ORDINARY:
    row(text, [], "ordinary text")

# ---------------------------------------------------------------- hand-written, one line at a time
# Written after a first version of the masker existed, without running it on them first: a check that the figures
# do not come only from the spellings the generator above knows. Personal data is marked [[kind:value]].
HAND = [
    "soita [[phone:0401234567]]!",
    "Numero: [[phone:+358-50-123-4567]]",
    "Puhelin [[phone:+358 50 1234567]], iltaisin.",
    "tel. [[phone:+358 9 310 1691]]",
    "Puhelin [[phone:(09) 310 1691]] tai [[phone:040 555 1234]]",
    "[[phone:050-5551234]]",
    "Soita iltaisin [[phone:044 555 12 34]].",
    "numero [[phone:0451234567]] (whatsapp)",
    "WhatsApp [[phone:+358451234567]]",
    "puh.nro [[phone:040-555 1234]]",
    "Ring [[phone:070-123 45 67]] om du vill.",
    "Tel: [[phone:08-123 456 78]] (Stockholm)",
    "Call [[phone:+44 (0) 20 7946 0958]] in London.",
    "Numero on [[phone:+358 40 1234 567]].",
    "Verohallinnon numero [[phone:029 497 000]] ei vastannut.",
    "Puh [[phone:040 1234567]]/Pekka",
    "Soitin numeroon [[phone:0800 96 96 96]] kolme kertaa.",
    "[[phone:+358 (0)3 565 7000]] on vaihde.",
    "[[email:Matti.Meikäläinen@Gmail.com]]",
    "Sähköposti [[email:matti_meikalainen@yahoo.co.uk]] toimii.",
    "mail: [[email:liisa.k@pp1.inet.fi]]",
    "Lähetä osoitteeseen [[email:liisa(at)pp.inet.fi]] kiitos",
    "[[email:liisa.virtanen ät gmail.com]]",
    "Osoite [[email:kalle.k(a)luukku.com]]",
    "[[email:KALLE@EXAMPLE.FI]]",
    "Kirjoita [[email:kalle@example.fi]].",
    "<[[email:kalle@example.fi]]>",
    "mailto:[[email:kalle@example.fi]]",
    "Sähköposti [[email:kalle @ example . fi]] (välilyönnit tahallaan)",
    "kirjoita [[email:pekka.p AT outlook DOT com]] jos haluat",
    "[[email:pekka.p(at)outlook(dot)com]]",
    "Yhteys [[email:anna_s at hotmail dot com]], kiitos!",
    "Tilille [[iban:FI2112345600000785]].",
    "IBAN [[iban:FI21 1234 5600 0007 85]] BIC NDEAFIHH",
    "Tili [[iban:fi21 1234 5600 0007 85]] (pienillä kirjaimilla)",
    "Konto [[iban:SE45 5000 0000 0583 9825 7466]]",
    "Account [[iban:GB29 NWBK 6016 1331 9268 19]] for refunds.",
    "Tili [[iban:FI21-1234-5600-0007-85]] viivoin kirjoitettuna.",
    "Kello 16.30 - 17.00 oli ruuhkaa.",
    "Ajat 10.15, 11.30 ja 13.45.",
    "Vastaus 0/5 tähteä.",
    "Kysymys 3 a) ja b) olivat vaikeita.",
    "I sent a message at 10:45.",
    "Valtion velka on 180 000 000 000 euroa.",
    "Postiosoite PL 100, 00023 Valtioneuvosto.",
    "Hinta 0 € ja toimitus 0,00 €.",
    "Vuoden 2024 Q3 tulos 0,5 %.",
    "Ottelu 1-0 ja toinen 2-1.",
    "Puhelu kesti 00:45:12.",
    "Aikaleima 2024-02-01T09:00:00Z.",
    "IP-osoite 10.0.0.1 ei vastannut.",
    "Versio 04.02.01 on vanha.",
    "Lääkkeen annos 0.5 mg/kg.",
    "Puhelinnumeroni on salainen.",
    "Olen 1950-luvulla syntynyt.",
    "Tiketti 12345 avattiin.",
    "Kortin numero 4111 1111 1111 1111.",
    "Sain viestin numerosta 12345.",
    "Matkaa 0–5 km.",
    "matti at home",
    "Tavataan @ Prisma klo 10.",
    "Katso www.example.com/at/dot/fi.",
    "user.name at company",
    "Sähköpostini loppuu dot fi.",
    "a.b@c",
    "Hinta 99,90€ / kk.",
    "Aukioloaika 8-20, puhelinaika 9-12.",
    "Valitsin 1, 2 ja 3.",
    "Tiedoston nimi kuva_2024-02-01_0930.jpg.",
    "Lasku nro 00123456789 maksettu.",
    "Soitin 3 kertaa 040-alkuiseen numeroon.",
    "Y-tunnus 2345678-9.",
    "Tilinumero FI00 0000 0000 0000 00.",
    "Ajanvaraus 09 316 5000? ei, se on numero" ,
    "Asiakaspalvelu vastaa 8-16, odotus 0-30 min.",
    "Arvosanat 04, 05 ja 06 olivat yleisimmät.",
    "Kuntoutus 2.-6.9. ja 16.-20.9.2024.",
    "Kävin 02.02.2024, 05.03.2024 ja 06.04.2024.",
    "Klo 06.45–07.15 ei ollut ketään.",
    "Osoite: Kauppakatu 5 B 12, 40100 Jyväskylä.",
    "Lämpötila 0...5 astetta.",
]
HAND[HAND.index("Ajanvaraus 09 316 5000? ei, se on numero")] = "Ajanvaraus [[phone:09 316 5000]] ei vastannut."
import re as _re
for line in HAND:
    labels = [(k, v) for k, v in _re.findall(r"\[\[(\w+):(.+?)\]\]", line)]
    text = _re.sub(r"\[\[\w+:(.+?)\]\]", r"\1", line)
    row(text, labels, "hand-written")

with open("masker-corpus.tsv", "w", encoding="utf-8", newline="\n") as f:
    f.write("# Panel's masker corpus: free text as residents write it, labelled with the personal data it holds.\n")
    f.write("# Columns (tab-separated): text, then a column per label 'kind:exact substring' (id, phone, email, iban),\n")
    f.write("# then optionally '#note'. No label: the line holds no personal data. Written by make_corpus.py (seeded).\n")
    for text, labels, note in rows:
        cols = [text] + [f"{k}:{v}" for k, v in labels] + ([f"#{note}"] if note else [])
        f.write("\t".join(cols) + "\n")

from collections import Counter
c = Counter(k for _, ls, _ in rows for k, _ in ls)
print(len(rows), "lines;", dict(c), "negative lines:", sum(1 for _, ls, _ in rows if not ls))
