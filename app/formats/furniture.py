"""Page furniture: the lines a study site puts around the cards, in English, Spanish, Portuguese,
French and German.

`classify(line)` names the kind of furniture a line is (the reason shown to the user) or returns
None. Patterns are anchored to the whole line, or need a telltale phrase, so that a card that
merely mentions "share" or "print" is kept. Footer headings ("Related study sets") mark the end
of the card region: everything after one is furniture. `label_role` recognises "Term" /
"Definition" labels, which are furniture themselves but say what the next line is.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Each entry: (reason, pattern). The first match wins. All patterns are case-insensitive and
# matched against the line with its outer spaces stripped.
_I = re.I


def _words(*alternatives: str) -> str:
    return "|".join(alternatives)


_BANNER = re.compile(
    _words(
        # en
        r"study smarter",
        r"ace your (exams?|tests?|classes|homework)",
        r"\bsign ?up\b",
        r"\blog ?in to\b",
        r"^log ?in$",
        r"try (it )?(free|premium|plus)",
        r"free trial",
        r"go ad-?free",
        r"upgrade to",
        r"get the (free )?app",
        r"download the app",
        r"unlock (all|every)",
        r"for free!",
        r"create a free account",
        r"join \d[\d,.]* ?(million|m)\b",
        # es
        r"supera tus (tareas|ex[aá]menes|clases)",
        r"reg[ií]strate",
        r"inicia sesi[oó]n",
        r"prueba gratis",
        r"crea una cuenta gratis",
        r"descarga la app",
        r"estudia (mejor|de forma m[aá]s inteligente)",
        r"prueba .*(gratis|premium|plus)",
        # pt
        r"arrase nas suas",
        r"cadastre-se",
        r"estude (melhor|de forma mais inteligente)",
        r"teste gr[aá]tis",
        r"experimente (gr[aá]tis|o plus|o premium)",
        r"baixe o app",
        r"crie uma conta",
        r"fa[çc]a login",
        # fr
        r"r[ée]ussis(sez)? tes (devoirs|examens)",
        r"inscris-toi",
        r"inscrivez-vous",
        r"connecte-toi",
        r"essai gratuit",
        r"essaie(z)? gratuitement",
        r"t[ée]l[ée]charge(z)? l'app",
        r"[ée]tudie(z)? plus intelligemment",
        r"cr[ée]e(z)? un compte gratuit",
        # de
        r"lerne (schlauer|smarter|effizienter)",
        r"registriere dich",
        r"jetzt registrieren",
        r"kostenlos (testen|registrieren|anmelden)",
        r"melde dich an",
        r"lade die app",
        r"meistere deine (pr[üu]fungen|hausaufgaben)",
        r"bestehe deine",
    ),
    _I,
)
_COOKIE = re.compile(
    r"\bcookies?\b|\bwe use cookies\b|utilizamos cookies|usamos cookies|nous utilisons des cookies|"
    r"wir verwenden cookies|accept all|aceptar todo|aceitar todos|tout accepter|alle akzeptieren|privacy policy|"
    r"pol[ií]tica de (privacidad|privacidade|cookies)|politique de confidentialit|datenschutz",
    _I,
)
_AD = re.compile(
    r"^(advertisement|ad|ads|sponsored|publicidad|anuncio|publicidade|an[úu]ncio|publicit[ée]|annonce|"
    r"werbung|anzeige|patrocinado|sponsoris[ée]|gesponsert)$",
    _I,
)
_TERMS_COUNT = re.compile(
    r"^\d[\d.,]*\s+(terms?|cards?|flashcards?|t[ée]rminos?|termos?|termes?|tarjetas?|cart[aã]o|cart[õo]es|"
    r"cartas?|cartes?|fiches?|begriffe?|karten?|karteikarten)$",
    _I,
)
_COUNTER = re.compile(r"^\d+\s*/\s*\d+$|^\(\d+\s*/\s*\d+\)$|^(card|tarjeta|carta|cart[aã]o|carte|karte)\s+\d+\s+(of|de|sur|von)\s+\d+$", _I)
_AUTHOR = re.compile(
    r"^(created|made|shared|uploaded|studied)\s+by\b|^(creado|hecho|compartido|subido)\s+por\b|"
    r"^(criado|feito|compartilhado|enviado)\s+por\b|^(cr[ée][ée]|partag[ée]|publi[ée])\s+par\b|"
    r"^(erstellt|geteilt|hochgeladen)\s+von\b|^(teacher|profesor|professor|professeur|lehrer)(in)?\s*[:·]|"
    r"^(updated|last updated|actualizado|atualizado|mis [àa] jour|aktualisiert)\b.{0,40}$",
    _I,
)
_RATING = re.compile(
    r"^[★☆✩✪⭐\s]{3,}|^\(?\d([.,]\d)?\s*(/\s*5|★|⭐)?\s*\(?\d[\d.,]*\s*(reviews?|ratings?|rese[ñn]as?|valoraciones|"
    r"avalia[çc][õo]es|avis|notes|bewertungen)\)?\)?$|^\d[\d.,]*\s*(reviews?|ratings?|rese[ñn]as?|valoraciones|"
    r"avalia[çc][õo]es|avis|bewertungen)$|^rated\s+\d|^(\d[\d.,]*\s*)?(students|estudiantes|estudantes|[ée]tudiants|"
    r"lernende|sch[üu]ler)\s+(studied|estudiaron|estudaram|ont [ée]tudi[ée]|lernten)\b.{0,30}$",
    _I,
)
# Buttons and navigation: a line that is nothing but one or two of these words.
_BUTTON_WORDS = (
    "share|print|save|copy link|copy|embed|export|edit|report|like|follow|more|menu|home|search|next|previous|prev|back|"
    "flashcards|learn|test|match|spell|write|gravity|spaced|study|play|shuffle|autoplay|options|settings|"
    "fullscreen|full screen|expand|show all|show more|see all|see more|hide|upvote|download|"
    "compartir|imprimir|guardar|copiar enlace|editar|reportar|siguiente|anterior|inicio|buscar|tarjetas|aprender|"
    "prueba|combinar|escribir|estudiar|mezclar|ver todo|ver m[aá]s|mostrar m[aá]s|descargar|"
    "compartilhar|salvar|copiar link|pr[óo]ximo|voltar|in[íi]cio|cart[õo]es|testar|combinar|estudar|embaralhar|"
    "ver tudo|baixar|"
    "partager|imprimer|enregistrer|copier le lien|modifier|signaler|suivant|pr[ée]c[ée]dent|accueil|rechercher|"
    "cartes|apprendre|associer|[ée]crire|[ée]tudier|m[ée]langer|voir tout|voir plus|t[ée]l[ée]charger|"
    "teilen|drucken|speichern|link kopieren|bearbeiten|melden|weiter|zur[üu]ck|startseite|suchen|karteikarten|"
    "lernen|zuordnen|schreiben|mischen|alle anzeigen|mehr anzeigen|herunterladen|"
    "terms of (use|service)|privacy|help|contact( us)?|about( us)?|imprint|impressum|kontakt|hilfe|"
    "aviso legal|ayuda|contacto|t[ée]rminos de uso|ajuda|contato|termos de uso|aide|mentions l[ée]gales|"
    "conditions d'utilisation|nutzungsbedingungen"
)
_BUTTONS = re.compile(rf"^(?:[\W_]*(?:{_BUTTON_WORDS})[\W_]*){{1,4}}$", _I)
_FOOTER = re.compile(
    r"^(related|similar|other|more|recommended|popular)\s+(study\s+)?(sets?|decks?|flashcards?|flashcard sets)\b|"
    r"^students\s+also\s+(studied|viewed|liked)|^people\s+also\s+(studied|viewed)|^more\s+(from|by)\s+|"
    r"^(conjuntos|sets|mazos)\s+(de\s+estudio\s+)?(relacionados|similares)|^los estudiantes tambi[ée]n (estudiaron|vieron)|"
    r"^(conjuntos|sets)\s+(de\s+estudos?\s+)?(relacionados|semelhantes)|^(os )?estudantes tamb[ée]m (estudaram|viram)|"
    r"^(ensembles|s[ée]ries|sets|decks)\s+(d'[ée]tude\s+)?(li[ée]s|similaires|associ[ée]s)|"
    r"^les [ée]tudiants ont [ée]galement [ée]tudi[ée]|"
    r"^([äa]hnliche|verwandte)\s+(lernsets|sets|karteikarten|kartensets)|^andere (lernende|studierende|sch[üu]ler) "
    r"(lernten|haben) auch|^(sch[üu]ler|studierende) lernten auch",
    _I,
)
_VIEW_SET = re.compile(
    r"^(view|open|see) (set|deck)$|^ver (conjunto|set|mazo)$|^voir (l'ensemble|le set|la s[ée]rie)$|"
    r"^(set|lernset) (ansehen|anzeigen)$|^abrir (conjunto|set)$",
    _I,
)
_TERM_LABEL = re.compile(
    r"^(term|t[ée]rmino|termo|terme|begriff|question|pregunta|pergunta|frage|front|anverso|frente|recto|vorderseite|q)\s*:?$",
    _I,
)
_DEF_LABEL = re.compile(
    r"^(definition|definici[oó]n|defini[çc][ãa]o|d[ée]finition|answer|respuesta|resposta|r[ée]ponse|antwort|back|"
    r"reverso|verso|r[üu]ckseite|a)\s*:?$",
    _I,
)
_CARD_NUMBER = re.compile(r"^#?\d{1,5}\.?$")

REASON_FOOTER = "related sets footer"
REASON_TITLE = "deck title"
REASON_TITLE_REPEAT = "repeats the page title"
REASON_REPEATED = "repeated on the page"
REASON_LABEL = "term/definition label"
REASON_NUMBER = "card number"
REASON_STRAY = "stray line outside the card pairs"

# (reason, pattern, longest line it can match): the length gate keeps a 10 MB paste fast.
_PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("card counter", _COUNTER, 40),
    ("number of terms", _TERMS_COUNT, 40),
    ("advert", _AD, 20),
    ("view-set link", _VIEW_SET, 30),
    ("navigation or share button", _BUTTONS, 80),
    ("author line", _AUTHOR, 120),
    ("rating line", _RATING, 90),
)


@lru_cache(maxsize=8192)
def classify(line: str) -> str | None:
    """The kind of furniture `line` is, or None when it may be card text."""
    text = line.strip()
    if not text:
        return None
    size = len(text)
    for reason, pattern, longest in _PATTERNS:
        if size <= longest and pattern.search(text):
            return reason
    # Banners and cookie notes are sentences; a long card that mentions one phrase is kept.
    # Plain substring tests first: the big patterns run only on lines that could match.
    lower = text.casefold()
    if size <= 160 and any(k in lower for k in _BANNER_KEYS) and _BANNER.search(text):
        return "promotional banner"
    if size <= 300 and any(k in lower for k in _COOKIE_KEYS) and _COOKIE.search(text):
        return "cookie notice"
    return None


# Every _BANNER alternative contains one of these (casefolded) stems.
_BANNER_KEYS = (
    "smart", "ace your", "sign", "log", "try", "trial", "ad-", "ad free", "upgrade", "app", "unlock", "free",
    "account", "join", "supera", "regí", "regis", "inicia", "prueba", "cuenta", "estudia", "arrase", "cadastr",
    "estude", "teste", "experimente", "baixe", "crie", "faça", "faca", "réuss", "reuss", "inscri", "connecte",
    "essai", "tél", "tel", "étudie", "etudie", "crée", "cree", "lerne", "registr", "kostenlos", "melde", "lade",
    "meistere", "bestehe",
)  # fmt: skip
_COOKIE_KEYS = ("cookie", "privac", "datenschutz", "confidential")


def is_footer(line: str) -> bool:
    """A heading after which the page lists other sets, not cards."""
    return bool(_FOOTER.search(line.strip()))


def is_view_set(line: str) -> bool:
    return bool(_VIEW_SET.match(line.strip()))


def label_role(line: str) -> str | None:
    """"q" for a "Term" label, "a" for a "Definition" label, else None."""
    text = line.strip()
    if len(text) > 20:
        return None
    if _TERM_LABEL.match(text):
        return "q"
    if _DEF_LABEL.match(text):
        return "a"
    return None


def is_card_number(line: str) -> bool:
    return bool(_CARD_NUMBER.match(line.strip()))


def looks_like_title(line: str) -> bool:
    """A heading rather than a sentence: short, no terminal punctuation, no question mark."""
    text = line.strip()
    words = text.split()
    if not words or len(words) > 10 or len(text) > 90:
        return False
    return not re.search(r"[.?!:;,¿¡]$|^[¿¡]", text) and "\n" not in text
