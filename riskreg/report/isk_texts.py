"""The fixed sentences of the ISK-bedömning that every format prints (PDF and HTML), so
the two documents say the same thing in the same words. Pure Python."""

from __future__ import annotations

from riskreg.domain.periods import PeriodKind

CONSEQUENCES_TEXT = "Beslutet bedöms inte få några konsekvenser ur de nämnda perspektiven."
ECONOMY_TEXT = "Beslutet bedöms inte få några ekonomiska konsekvenser."
FOLLOW_UP_TEXT = (
    "Bedömningen av den interna styrningen och kontrollen är en del av nämndens uppföljning av "
    "internkontrollplanen och redovisas i verksamhetsberättelsen. Regionstyrelsen gör utifrån "
    "nämndernas bedömningar en samlad bedömning i årsredovisningen."
)
EXAMPLE_BANNER = (
    "EXEMPELDATA – uppföljningarna är påhittade och beskriver inte verkliga förhållanden"
)
EXAMPLE_NOTE = (
    "Uppföljningarna, avvikelserna och bedömningen i detta dokument har lagts in med "
    "riskreg seed --exempel för att visa hur rapporten ser ut. De beskriver inte verkliga "
    "förhållanden."
)
HEAT_MAPS_INTRO = (
    "Antal risker i varje cell med deras referenser: först bruttorisken enligt planen, "
    "sedan nettorisken vid årets sista bedömning. Cellens färg är riskmatrisens nivå."
)


def per_area_intro(kind: PeriodKind) -> str:
    return (
        f"För varje risk: nettorisken per {kind.value} (cellens färg är matrisens nivå) och "
        "trenden under året; under risken dess åtgärder med ansvariga roller och status per "
        f"{kind.value}. ”Saknas” betyder att ingen uppföljning är registrerad."
    )


MATRIX_NOTE = (
    "Matrisen och dess färger är de som gällde när planen fastställdes; de sparas med "
    "planåret så att rapporten ser likadan ut om den tas fram på nytt."
)
ACCEPTED_INTRO = (
    "Risker som hanteras genom att de accepteras i stället för med åtgärder: vem som "
    "beslutade, varför och hur länge."
)
CARRY_INTRO = (
    "Risker som enligt uppföljningen bör finnas kvar i nästa års internkontrollplan: hög "
    "nettorisk vid årets slut, åtgärder som inte verkställts, avvikelser av betydelse eller "
    "en acceptans som löper ut."
)
GAPS_NOTE = "Det föreslagna betyget tar hänsyn till luckorna (kriterium 4 och 5)."


def complete_note(kind: PeriodKind) -> str:
    return f"Alla risker och åtgärder är uppföljda i {kind.all_periods}."


def brutto_netto_text(kind: PeriodKind) -> str:
    return (
        "Bruttorisk är risken utan åtgärder och sätts när risken förs in i planen. Nettorisk "
        f"är risken med åtgärderna på plats och bedöms på nytt vid varje {kind.review_word}. "
        "Vid uppföljningen anges också status för varje åtgärd (ej påbörjad, pågående, "
        "genomförd, ej genomförd, utgår), resultatet av återkommande kontroller (utan "
        "anmärkning, med avvikelse, ej utförd) och avvikelser med allvarlighetsgrad (liten, "
        "måttlig, allvarlig)."
    )


def method_text(likelihood: str, consequence: str) -> str:
    return (
        f"Varje risk bedöms efter sannolikhet och konsekvens. Sannolikhet: {likelihood}. "
        f"Konsekvens: {consequence}. Riskvärdet är sannolikhet × konsekvens, men riskens nivå "
        "och färg bestäms av cellen i riskmatrisen, så att en allvarlig konsekvens kan väga "
        "tyngre än en hög sannolikhet."
    )


EDITORIAL_NOTE = (
    "Bara skiljetecken, mellanslag eller versaler har ändrats; räknas inte som ändringar."
)
