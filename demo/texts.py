"""The demo association's invented content: groups, companies, names and pain points.

Every company, person and domain here is invented; `.example` domains cannot resolve.
A pain point's text pairs a topic (context sentence, tags, fitting groups) with a symptom
(title fragment and detail sentence), so these few lists give well over 120 distinct texts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: (name, description) of the thematic working groups named in the source article.
THEMATIC_GROUPS: tuple[tuple[str, str], ...] = (
    ("Presse- und Öffentlichkeitsarbeit", "Pressearbeit des Vereins, Referenzberichte, Auftritte."),
    ("Internationale Kommunikation", "Austausch mit der IAMCP und anderen Chapters."),
    ("Networking", "Partner-zu-Partner-Geschäft, Veranstaltungen und gegenseitige Vermittlung."),
    ("Kompetenzen und Strategien", "Partnerprogramm, Kompetenzen und strategische Ausrichtung."),
    ("Hochverfügbarkeit und Sicherheit", "Betrieb, Support-Eskalationen und Sicherheitsupdates."),
    ("Marketing und Sales", "Vertrieb, Lizenzierung, Incentives und Marketingmittel."),
    ("Learning", "Schulungen, Prüfungen und Zertifizierungen für Mitarbeiter."),
)
#: How many people join each thematic group, relative to the others.
THEMATIC_WEIGHTS: tuple[int, ...] = (1, 1, 2, 4, 3, 5, 2)

#: (name, description) of the regional groups, aligned with the vendor's branch offices.
REGIONAL_GROUPS: tuple[tuple[str, str], ...] = (
    ("Nord (Hamburg)", "Regionaler Arbeitskreis der Mitglieder in Norddeutschland."),
    ("Berlin", "Regionaler Arbeitskreis Berlin und Brandenburg."),
    ("West (Köln)", "Regionaler Arbeitskreis Rheinland und Nordrhein-Westfalen."),
    ("Mitte (Bad Homburg)", "Regionaler Arbeitskreis Hessen und Rhein-Main."),
    ("Süd (München)", "Regionaler Arbeitskreis Bayern."),
    ("Südwest (Böblingen)", "Regionaler Arbeitskreis Baden-Württemberg."),
)

#: Invented member companies, per regional group (in the order of REGIONAL_GROUPS).
COMPANIES_BY_REGION: tuple[tuple[str, ...], ...] = (
    ("Alsterblick IT-Service GmbH", "Fleetkontor Software KG", "Deichtor Datentechnik GmbH",
     "Kranhaus Systemintegration GmbH", "Möwenstein Consulting e.K.", "Elbkai Netzwerke AG",
     "Nordlotse IT GmbH"),
    ("Spreebogen Digital GmbH", "Kiezwerk Software GmbH", "Hinterhof Systeme KG",
     "Müggelsee Datendienste e.K.", "Oberbaum IT-Beratung GmbH", "Litfaß Cloudwerkstatt GmbH"),
    ("Domblick Informatik GmbH", "Rheinauhafen Systemhaus GmbH", "Veedel IT KG",
     "Severinstor Software AG", "Kranich & Roth Datentechnik GmbH", "Südstadt Netzwerkbüro e.K.",
     "Ehrenfeld Lösungswerk GmbH"),
    ("Taunushöhe Systemhaus GmbH", "Kurpark IT-Consulting GmbH", "Feldbergblick Software KG",
     "Mainbogen Datenservice GmbH", "Saalburg Netzwerk e.K.", "Hessenkamp Informatik AG"),
    ("Isarwerk IT GmbH", "Föhnlage Software AG", "Viktualien Systemhaus GmbH",
     "Alpenkamm Datentechnik GmbH", "Schwabinger Netzwerkhaus GmbH", "Nymphenbad Consulting GmbH",
     "Zugspitzblick Cloud Services GmbH", "Hofgarten IT-Beratung e.K."),
    ("Schönbuch Systeme GmbH", "Neckarblick Software GmbH", "Stäffele IT e.K.",
     "Kernerviertel Informatik GmbH", "Wengert Netzwerke AG", "Remstal Datenwerkstatt KG"),
)  # fmt: skip
#: (name, region index) of every member company.
COMPANIES: tuple[tuple[str, int], ...] = tuple(
    (name, region) for region, names in enumerate(COMPANIES_BY_REGION) for name in names
)
#: People per company, assigned to the shuffled companies: a few big, many small.
COMPANY_SIZES: tuple[int, ...] = (15, 13, 11, 7, 6, 5, 5, 4, 4, 4)
SMALL_COMPANY_SIZES: tuple[int, ...] = (2, 2, 3, 3, 3)

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Julia", "Katrin", "Sabine", "Stefanie", "Claudia", "Laura", "Lena", "Miriam",
    "Nicole", "Petra", "Sandra", "Susanne", "Tanja", "Birgit", "Heike", "Jana", "Franziska",
    "Aylin", "Elena", "Andreas", "Thomas", "Michael", "Stefan", "Markus", "Christian", "Jens",
    "Jörg", "Uwe", "Tobias", "Florian", "Matthias", "Daniel", "Sebastian", "Holger", "Ralf",
    "Dirk", "Lukas", "Timo", "Mehmet", "Piotr", "Bernd", "Sven", "Jan",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Zimmermann", "Braun",
    "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Herrmann", "König",
    "Huber", "Kaiser", "Fuchs", "Peters", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel",
    "Keller", "Berger", "Roth", "Lorenz", "Baumann", "Albrecht", "Brandt", "Haas", "Yılmaz",
    "Kowalski", "Sommer",
)  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """What a pain point is about; `groups` index the thematic groups it fits."""

    label_de: str
    label_en: str
    tags: tuple[str, ...]
    groups: tuple[int, ...]
    context_de: str
    context_en: str
    symptoms_de: tuple[tuple[str, str], ...]
    symptoms_en: tuple[tuple[str, str], ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "Partnerprogramm", "Partner programme", ("partnerprogramm",), (3, 5),
        "Das Partnerprogramm wurde zum Geschäftsjahresbeginn erneut umgebaut.",
        "The partner programme was restructured again at the start of the fiscal year.",
        (("Neue Punkteregeln entwerten bestehende Kompetenzen",
          "Punkte aus bestehenden Kompetenzen zählen plötzlich nur noch zur Hälfte."),
         ("Umsatzschwellen für kleine Systemhäuser unerreichbar",
          "Die neuen Umsatzschwellen liegen über dem Jahresumsatz vieler Mitglieder."),
         ("Statusverlust trotz unveränderter Leistung",
          "Mehrere Mitglieder haben ihren Status verloren, obwohl sich nichts an ihrem Geschäft "
          "geändert hat.")),
        (("Partner status downgraded despite unchanged performance",
          "Several members lost their status although their business is unchanged."),
         ("Points model favours large resellers",
          "The new points model rewards sheer volume over project quality.")),
    ),
    Topic(
        "Lizenzierung", "Licensing", ("lizenzierung",), (5, 3),
        "Für Kundenprojekte müssen wir die Lizenzmodelle verbindlich erklären können.",
        "Customers expect us to explain the licensing models reliably.",
        (("Lizenzbedingungen für Virtualisierung widersprüchlich",
          "Die Produktbedingungen und der Lizenzleitfaden sagen zur Virtualisierung "
          "Unterschiedliches."),
         ("Kein verbindlicher Ansprechpartner für Lizenzfragen",
          "Auf schriftliche Lizenzfragen erhalten wir nur unverbindliche Antworten."),
         ("Downgrade-Rechte bei Volumenverträgen unklar",
          "Ob Downgrade-Rechte im Volumenvertrag gelten, hängt davon ab, wen man fragt.")),
        (("No binding answers to licensing questions",
          "Written licensing questions only get answers marked as non-binding."),
         ("Virtualisation rights contradict the product terms",
          "The licensing guide and the product terms disagree on virtual machines.")),
    ),
    Topic(
        "Incentives und Rabatte", "Incentives and rebates", ("incentives",), (5,),
        "Incentives machen bei vielen Mitgliedern einen großen Teil der Marge aus.",
        "Incentives make up a large part of many members' margin.",
        (("Auszahlungen kommen mit mehreren Monaten Verzug",
          "Rabatte aus dem ersten Quartal wurden erst im dritten Quartal ausgezahlt."),
         ("Abrechnungen nicht nachvollziehbar",
          "Die Incentive-Abrechnung lässt sich keinem einzelnen Kundenauftrag zuordnen."),
         ("Rückforderungen ohne Begründung",
          "Bereits gezahlte Incentives wurden ohne nachvollziehbare Begründung zurückgefordert.")),
        (("Rebate payouts months late",
          "Rebates earned in one quarter are paid out two quarters later."),
         ("Incentive statements cannot be reconciled",
          "The statements cannot be matched to individual customer orders.")),
    ),
    Topic(
        "Support-Eskalationen", "Support escalations", ("support",), (4,),
        "Bei Ausfällen im Kundenbetrieb sind wir auf schnelle Eskalation angewiesen.",
        "When a customer system is down we depend on fast escalation.",
        (("Severity-A-Fälle werden herabgestuft",
          "Kritische Fälle werden vom Erstkontakt regelmäßig auf eine niedrigere Stufe gesetzt."),
         ("Rückruf erst nach Tagen",
          "Auf einen als dringend gemeldeten Fall kam der erste Rückruf nach drei Tagen."),
         ("Fallnummern gehen bei Übergaben verloren",
          "Bei der Übergabe zwischen Supportteams beginnt die Fallaufnahme von vorn.")),
        (("Critical cases downgraded by first-level support",
          "Severity A cases are routinely downgraded before an engineer sees them."),
         ("Escalation path for partners undocumented",
          "There is no documented way for a partner to escalate a stuck case.")),
    ),
    Topic(
        "Deal-Registrierung", "Deal registration", ("vertrieb", "registrierung"), (5,),
        "Ohne Deal-Registrierung ist ein Kundenprojekt gegenüber Mitbewerbern ungeschützt.",
        "Without deal registration a project is unprotected against other resellers.",
        (("Registrierte Projekte gehen an Direktvertrieb",
          "Zwei registrierte Projekte wurden anschließend direkt vom Hersteller angeboten."),
         ("Freigabe dauert länger als die Ausschreibung",
          "Die Freigabe der Registrierung kam erst nach Ende der Angebotsfrist.")),
        (("Registered deals taken over by direct sales",
          "Registered opportunities were later quoted directly by the vendor."),
         ("Approval slower than the tender",
          "Approval arrived after the customer's tender deadline had passed.")),
    ),
    Topic(
        "Online-Partnerregistrierung", "Partner enrolment", ("registrierung", "portal"), (2, 3),
        "Die Online-Partnerregistrierung ist für neue Mitarbeiter der erste Kontakt mit dem "
        "Programm.",
        "Online partner enrolment is the first contact new staff have with the programme.",
        (("Mitarbeiter lassen sich nicht der eigenen Firma zuordnen",
          "Neue Mitarbeiter landen nach der Anmeldung in einem fremden Firmenprofil."),
         ("Handelsregisterauszug wird jedes Jahr neu verlangt",
          "Jedes Jahr müssen wir denselben Handelsregisterauszug erneut hochladen.")),
        (("New staff cannot be linked to their company",
          "New employees end up attached to another company's profile."),
         ("Company verification repeated every year",
          "We upload the same register extract every single year.")),
    ),
    Topic(
        "Zertifizierungen und Kompetenzen", "Certifications and competencies",
        ("zertifizierung",), (3, 6),
        "Kompetenzen sind die Voraussetzung für Projekte bei anspruchsvollen Kunden.",
        "Competencies are a precondition for projects with demanding customers.",
        (("Prüfungen werden kurz nach dem Ablegen eingestellt",
          "Mitarbeiter haben Prüfungen bestanden, die zwei Monate später ausliefen."),
         ("Ein Mitarbeiter zählt nur für eine Kompetenz",
          "Ein Mitarbeiter darf nur für eine Kompetenz gezählt werden, obwohl er beide Prüfungen "
          "hat."),
         ("Prüfungstermine in Deutschland kaum verfügbar",
          "Freie Prüfungstermine gibt es oft nur in weit entfernten Testcentern.")),
        (("Exams retired shortly after staff passed them",
          "Staff passed exams that were retired two months later."),
         ("One engineer cannot count towards two competencies",
          "Certified staff count towards only one competency.")),
    ),
    Topic(
        "Marketingmittel (MDF)", "Marketing development funds", ("marketing",), (5, 0),
        "Marketingmittel sind für kleine Partner oft das einzige Werbebudget.",
        "Marketing funds are often the only campaign budget small partners have.",
        (("Erstattung scheitert an Formalien",
          "Erstattungsanträge werden wegen fehlender Fotos vom Veranstaltungsort abgelehnt."),
         ("Mittel verfallen vor Freigabe der Kampagne",
          "Bis die Kampagne freigegeben ist, sind die Mittel des Quartals verfallen.")),
        (("Fund claims rejected on formalities",
          "Claims are rejected for missing photos of the event venue."),
         ("Funds expire before campaigns are approved",
          "The quarter's funds expire before the campaign is approved.")),
    ),
    Topic(
        "Cloud-Umstellung", "Cloud transition", ("cloud",), (3, 4),
        "Viele Kunden wechseln von Kauflizenzen auf Abonnements in der Cloud.",
        "Many customers are moving from perpetual licences to cloud subscriptions.",
        (("Marge bei Abonnements deutlich niedriger",
          "Die Marge auf Abonnements liegt weit unter der früheren Marge auf Kauflizenzen."),
         ("Kein Migrationspfad für Bestandskunden",
          "Für Bestandskunden mit laufender Wartung fehlt ein geregelter Umstiegspfad."),
         ("Rechenzentrumsstandort für Kunden nicht belegbar",
          "Kunden verlangen einen Nachweis, dass ihre Daten in Deutschland bleiben.")),
        (("No migration path for existing customers",
          "Customers with running maintenance have no defined path to the cloud."),
         ("Subscription margins far below licence margins",
          "Subscription margins are a fraction of what perpetual licences paid.")),
    ),
    Topic(
        "Preisgestaltung", "Pricing", ("preise",), (5,),
        "Preise sind die Grundlage unserer Angebote an öffentliche und private Kunden.",
        "Prices are the basis of our quotes to public and private customers.",
        (("Preiserhöhung mitten in laufenden Angeboten",
          "Die Preise wurden erhöht, während unsere Angebote noch gebunden waren."),
         ("Euro-Preise an Wechselkurs gekoppelt",
          "Die Euro-Preise werden kurzfristig an den Dollarkurs angepasst.")),
        (("Price increases during binding quotes",
          "Prices rose while our quotes were still binding."),
         ("Euro prices follow the exchange rate at short notice",
          "Euro price lists are adjusted to the dollar at short notice.")),
    ),
    Topic(
        "Partnerportal", "Partner portal", ("portal",), (2, 6),
        "Das Partnerportal ist unser zentrales Werkzeug für Programm, Schulung und Vertrieb.",
        "The partner portal is our central tool for programme, training and sales.",
        (("Suche findet eigene Dokumente nicht",
          "Die Portalsuche findet nicht einmal die Dokumente, die wir selbst hochgeladen haben."),
         ("Ständige Abmeldung nach wenigen Minuten",
          "Nach wenigen Minuten Inaktivität wird man abgemeldet und verliert Eingaben."),
         ("Rollenverwaltung für Mitarbeiter umständlich",
          "Jede Rollenänderung muss einzeln per Formular beantragt werden.")),
        (("Portal search does not find our own documents",
          "The search cannot even find documents we uploaded ourselves."),
         ("Sessions expire after a few minutes",
          "Idle sessions expire quickly and unsaved input is lost.")),
    ),
    Topic(
        "Schulungsangebot", "Training offer", ("learning",), (6,),
        "Gut geschulte Mitarbeiter sind die Grundlage jeder Kompetenz.",
        "Well-trained staff are the basis of every competency.",
        (("Deutschsprachige Kurse gestrichen",
          "Deutschsprachige Präsenzkurse wurden ersatzlos gestrichen."),
         ("Lernpfade passen nicht zu den Prüfungen",
          "Die offiziellen Lernpfade decken die Prüfungsinhalte nur teilweise ab.")),
        (("Learning paths do not match the exams",
          "Official learning paths cover only part of the exam objectives."),
         ("Training vouchers expire unused",
          "Vouchers expire before courses with free seats are available.")),
    ),
    Topic(
        "Referenzen und Pressefreigaben", "Case studies and press approvals", ("presse",), (0,),
        "Gemeinsame Referenzberichte sind für Mitglieder wichtige Sichtbarkeit am Markt.",
        "Joint case studies give members valuable visibility in the market.",
        (("Freigabe gemeinsamer Pressemitteilungen dauert Monate",
          "Die Freigabe einer gemeinsamen Pressemitteilung dauerte vier Monate."),
         ("Logo-Nutzungsregeln ändern sich ohne Hinweis",
          "Die Regeln zur Nutzung des Partnerlogos wurden ohne Hinweis geändert.")),
        (("Joint press releases take months to approve",
          "A joint press release took four months to be approved."),
         ("Logo usage rules changed without notice",
          "The partner logo guidelines changed without any announcement.")),
    ),
    Topic(
        "Länderübergreifende Projekte", "Cross-border deals", ("international",), (1,),
        "Mehrere Mitglieder betreuen Kunden mit Standorten in anderen Ländern.",
        "Several members serve customers with sites in other countries.",
        (("Kundenprojekte im Ausland nicht anrechenbar",
          "Umsatz mit Auslandsstandorten deutscher Kunden zählt nicht für unseren Status."),
         ("Ansprechpartner anderer Länder nicht erreichbar",
          "Für Projekte im Ausland finden wir beim Hersteller keinen zuständigen Kontakt.")),
        (("Revenue from customers' foreign sites does not count",
          "Revenue from a German customer's foreign sites is not credited to us."),
         ("No contact for projects in other countries",
          "Nobody at the vendor feels responsible for our projects abroad.")),
    ),
    Topic(
        "Sicherheitsupdates", "Security updates", ("sicherheit",), (4,),
        "Unsere Kunden erwarten, dass wir Sicherheitsupdates zügig und geplant einspielen.",
        "Customers expect us to roll out security updates quickly and predictably.",
        (("Vorabinformationen zu Patches fehlen",
          "Partner erfahren von kritischen Patches erst aus der Presse."),
         ("Fehlerhafte Updates ohne Rückrollanleitung",
          "Ein fehlerhaftes Update legte Kundenserver lahm, eine Rückrollanleitung fehlte.")),
        (("No advance notice of critical patches",
          "Partners learn about critical patches from the press."),
         ("Faulty updates shipped without rollback guidance",
          "A faulty update took customer servers down with no rollback guidance.")),
    ),
    Topic(
        "Partnervermittlung", "Partner-to-partner referrals", ("networking",), (2,),
        "Partner-zu-Partner-Geschäft ist für spezialisierte Mitglieder wichtig.",
        "Partner-to-partner business matters a lot to specialised members.",
        (("Partnersuche zeigt veraltete Profile",
          "Die Partnersuche listet Firmen, die es seit Jahren nicht mehr gibt."),
         ("Kundenanfragen werden nicht weitergeleitet",
          "Anfragen über die Partnersuche erreichen uns nicht oder Wochen zu spät.")),
        (("Partner finder lists outdated profiles",
          "The partner finder shows companies that closed years ago."),
         ("Customer leads never reach us",
          "Leads from the partner finder arrive weeks late or not at all.")),
    ),
)  # fmt: skip

#: Symptoms that fit any topic: (title fragment, detail); `{label}` names the topic.
GENERIC_SYMPTOMS_DE: tuple[tuple[str, str], ...] = (
    ("Änderungen ohne ausreichenden Vorlauf",
     "Änderungen beim Thema {label} werden oft erst wenige Tage vor Inkrafttreten angekündigt."),
    ("Widersprüchliche Auskünfte von Hotline und Partner Account Manager",
     "Zum Thema {label} erhalten wir von Hotline und Account Manager unterschiedliche Antworten."),
    ("Regeln nur auf Englisch und verstreut dokumentiert",
     "Die Regeln zum Thema {label} sind nur auf Englisch und auf viele Seiten verteilt."),
    ("Bearbeitungszeiten von mehreren Wochen",
     "Anfragen zum Thema {label} bleiben oft drei bis sechs Wochen unbeantwortet."),
    ("Keine Übergangsfrist für laufende Kundenprojekte",
     "Bei der letzten Umstellung zum Thema {label} gab es keine Übergangsfrist."),
    ("Ständig wechselnde Ansprechpartner",
     "Beim Thema {label} hatten wir innerhalb eines Jahres vier verschiedene Ansprechpartner."),
    ("Entscheidungskriterien nicht nachvollziehbar",
     "Nach welchen Kriterien beim Thema {label} entschieden wird, bleibt unklar."),
    ("Dieselben Nachweise werden mehrfach angefordert",
     "Beim Thema {label} müssen wir dieselben Nachweise immer wieder einreichen."),
)  # fmt: skip
GENERIC_SYMPTOMS_EN: tuple[tuple[str, str], ...] = (
    ("Changes announced without notice",
     "Changes to {label} are usually announced only days before they take effect."),
    ("Hotline and account manager contradict each other",
     "On {label}, the partner hotline and our account manager give different answers."),
    ("Rules scattered across many pages",
     "The rules on {label} are spread across many pages and hard to find."),
    ("Requests unanswered for weeks",
     "Requests about {label} often remain unanswered for three to six weeks."),
    ("No transition period for running projects",
     "The last change to {label} came without any transition period."),
    ("Contacts change constantly", "For {label} we had four different contacts within one year."),
    ("Decision criteria are not transparent",
     "How decisions on {label} are made remains unclear to partners."),
)  # fmt: skip
TITLE_FORMATS: tuple[str, ...] = ("{label}: {symptom}", "{symptom} ({label})")

IMPACTS_DE: tuple[str, ...] = (
    "Das kostet uns pro Fall mehrere Stunden, die wir keinem Kunden berechnen können.",
    "Kunden verlieren dadurch das Vertrauen in unsere Zusagen.",
    "Für ein Haus unserer Größe ist das wirtschaftlich kaum zu tragen.",
    "Mehrere Mitglieder im Arbeitskreis berichten dasselbe.",
    "Im letzten Quartal sind uns dadurch zwei Projekte verloren gegangen.",
    "Die Zeit fehlt uns anschließend in den Kundenprojekten.",
)
IMPACTS_EN: tuple[str, ...] = (
    "Each case costs us hours we cannot bill to anyone.",
    "Customers lose confidence in what we promise them.",
    "Other members of the working group report the same.",
    "We lost two projects over this last quarter.",
)
ASKS_DE: tuple[str, ...] = (
    "Wir bitten um eine verbindliche Bearbeitungszeit und einen festen Ansprechpartner.",
    "Wir wünschen uns eine deutschsprachige Dokumentation und mindestens drei Monate Vorlauf.",
    "Das sollte im nächsten Quality Board angesprochen werden.",
    "Vorschlag: eine einfache Rückfragemöglichkeit direkt im Portal.",
    "Wir schlagen vor, das Thema gemeinsam mit anderen IAMCP-Chapters vorzubringen.",
)
ASKS_EN: tuple[str, ...] = (
    "We ask for a binding response time and a named contact.",
    "This should be raised at the next Inner Circle meeting.",
    "We suggest raising this together with other IAMCP chapters.",
)
#: Tags a member sometimes adds to the topic's tags.
EXTRA_TAGS: tuple[str, ...] = ("kmu", "dringend", "quality-board")

PAIN_POINT_WITHDRAWAL_REASONS: tuple[str, ...] = (
    "Hat sich mit der letzten Programmänderung erledigt.",
    "Doppelt eingereicht, siehe den ähnlichen Punkt im Arbeitskreis.",
    "Resolved after a call with our partner account manager.",
)
MEMBERSHIP_END_REASONS: tuple[str, ...] = (
    "Partnerstatus nicht verlängert; Austritt zum Quartalsende.",
    "Übernahme durch ein Unternehmen, das kein Mitglied ist.",
)


@dataclass(frozen=True)
class PainPointText:
    topic: Topic
    symptom: str
    title: str
    description: str
    tags: list[str]
    german: bool


def compose(rng: random.Random, *, german: bool) -> PainPointText:
    """A title and 2–4 sentences: topic context, symptom, maybe impact and request."""
    topic = rng.choice(TOPICS)
    label = topic.label_de if german else topic.label_en
    specific = topic.symptoms_de if german else topic.symptoms_en
    generic = GENERIC_SYMPTOMS_DE if german else GENERIC_SYMPTOMS_EN
    symptom, detail = rng.choice(specific if rng.random() < 0.5 else generic)
    title = rng.choice(TITLE_FORMATS).format(label=label, symptom=symptom)
    sentences = [topic.context_de if german else topic.context_en]
    sentences.append(detail.format(label=label if german else label.lower()))
    extras = (IMPACTS_DE, ASKS_DE) if german else (IMPACTS_EN, ASKS_EN)
    sentences += [rng.choice(extra) for extra in extras if rng.random() < 0.7]
    tags = list(topic.tags)
    if rng.random() < 0.35:
        tags.append(rng.choice(EXTRA_TAGS))
    return PainPointText(topic, symptom, title, " ".join(sentences), tags[:3], german)


# -- leads, the board and the vendor ----------------------------------------------------

#: (display name, e-mail, function, writes German) of the vendor's representatives.
VENDOR_REPRESENTATIVES: tuple[tuple[str, str, str, bool], ...] = (
    ("Katharina Albers", "katharina.albers@vendor.example", "Partner Development DACH", True),
    ("Oliver Grant", "oliver.grant@vendor.example", "EMEA Partner Programme", False),
)
#: The vendor's product group answering for each topic (by its German label).
PRODUCT_GROUPS: dict[str, str] = {
    "Partnerprogramm": "Partner Program",
    "Lizenzierung": "Licensing",
    "Incentives und Rabatte": "Incentives",
    "Support-Eskalationen": "Partner Support",
    "Deal-Registrierung": "Partner Center",
    "Online-Partnerregistrierung": "Partner Center",
    "Zertifizierungen und Kompetenzen": "Learning & Certification",
    "Marketingmittel (MDF)": "Incentives",
    "Cloud-Umstellung": "Cloud Partner Program",
    "Preisgestaltung": "Licensing",
    "Partnerportal": "Partner Center",
    "Schulungsangebot": "Learning & Certification",
    "Referenzen und Pressefreigaben": "Partner Marketing",
    "Länderübergreifende Projekte": "Partner Program",
    "Sicherheitsupdates": "Security Response",
    "Partnervermittlung": "Partner Center",
}
#: The topic of the source's resolved example, and topics of the licensing Inner Circle.
REGISTRATION_TOPIC = "Online-Partnerregistrierung"
LICENSING_TOPICS: tuple[str, ...] = (
    "Lizenzierung", "Preisgestaltung", "Cloud-Umstellung", "Deal-Registrierung",
)  # fmt: skip

#: What a lead writes when triaging: (German, English), in the pain point's language.
ACCEPT_REASONS: tuple[tuple[str, str], ...] = (
    ("Im Arbeitskreis bestätigt; mehrere Mitglieder sind betroffen.",
     "Confirmed in the working group; several members are affected."),
    ("Nachvollziehbar beschrieben und belegt; aufgenommen.",
     "Clearly described and documented; accepted."),
    ("Deckt sich mit Rückmeldungen aus dem letzten Arbeitskreistreffen; aufgenommen.",
     "Matches what members reported at the last working-group meeting; accepted."),
)  # fmt: skip
NEEDS_INFO_REASONS: tuple[tuple[str, str], ...] = (
    ("Bitte ein konkretes Beispiel mit Datum und Fallnummer ergänzen.",
     "Please add a concrete example with date and case number."),
    ("Welcher Zeitraum und welche Programmversion sind betroffen? Bitte ergänzen.",
     "Which period and which programme year are affected? Please add them."),
    ("Bitte angeben, wie viele Kundenprojekte betroffen sind.",
     "Please state how many customer projects are affected."),
    ("Gibt es dazu eine schriftliche Auskunft des Herstellers? Bitte anhängen.",
     "Is there a written statement from the vendor on this? Please attach it."),
)  # fmt: skip
INFO_ADDED_REASON = ("Ergänzungen liegen vor; aufgenommen.", "Details added; accepted.")
NO_INFO_REASON = (
    "Keine Ergänzungen eingegangen; bei neuen Informationen bitte erneut einreichen.",
    "No details were added; please submit again when there is new information.",
)
#: (German, English, topics it fits; none: any topic) of a lead's decline.
DECLINE_REASONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Betrifft einen einzelnen Kundenauftrag; bitte direkt mit dem Partner Account Manager "
     "klären.",
     "Concerns a single customer order; please raise it with your partner account manager.",
     ()),
    ("Liegt beim Distributor, nicht beim Hersteller; bitte dort adressieren.",
     "This is a matter for the distributor, not the vendor; please raise it there.",
     ("Lizenzierung", "Preisgestaltung", "Incentives und Rabatte", "Cloud-Umstellung")),
    ("Der Verein verhandelt keine Konditionen für einzelne Mitglieder; nicht Gegenstand der "
     "Liste.",
     "The association does not negotiate terms for individual members; not for the list.",
     ("Preisgestaltung", "Incentives und Rabatte", "Deal-Registrierung",
      "Marketingmittel (MDF)")),
    ("Zu allgemein für das Gespräch mit dem Hersteller; bitte mit einem konkreten Fall neu "
     "einreichen.",
     "Too general to raise with the vendor; please submit again with a concrete case.",
     ()),
    ("Mit der Programmänderung zum neuen Geschäftsjahr entfallen; siehe Programmleitfaden.",
     "No longer applies after the programme change for the new fiscal year.",
     ("Partnerprogramm", "Zertifizierungen und Kompetenzen", "Incentives und Rabatte",
      "Marketingmittel (MDF)", "Deal-Registrierung", "Länderübergreifende Projekte")),
    ("Störung im Einzelfall; bitte über den regulären Support melden.",
     "A one-off fault; please report it through regular support.",
     ("Support-Eskalationen", "Sicherheitsupdates", "Partnerportal",
      "Online-Partnerregistrierung", "Partnervermittlung")),
)  # fmt: skip
MERGE_REASON = (
    "Gleicher Sachverhalt wie „{title}“; die Unterstützung zählt dort.",
    'Same issue as "{title}"; support counts there.',
)
UNMERGE_REASON = (
    "Auf Hinweis der Einreichenden wieder getrennt: ein eigener Sachverhalt, nicht derselbe "
    "wie „{title}“.",
    'Separated again at the author\'s request: a distinct issue from "{title}".',
)
ESCALATION_REASON = (
    "Rang {position} der kuratierten Liste; für das {meeting} am {date} an den Vorstand eskaliert."
)
LATE_ESCALATION_REASON = (
    "Rang {position} der kuratierten Liste; für die nächste Sitzung beim Hersteller an den "
    "Vorstand eskaliert."
)

#: The lead's note on the first and on later editions of the curated list.
CURATED_NOTES: tuple[str, ...] = (
    "Erste kuratierte Liste des Arbeitskreises. Grundlage ist das Community-Ranking; "
    "Abweichungen sind begründet.",
    "Aktualisiert vor dem Inner Circle Lizenzierung: neue Punkte aufgenommen, Erledigtes entfernt.",
)
#: Why a lead moves a pain point above its community rank.
PROMOTION_RATIONALES: tuple[str, ...] = (
    "Vorgezogen: betrifft laufende Kundenprojekte mehrerer Mitglieder und hat eine Frist.",
    "Vorgezogen: im letzten Arbeitskreistreffen von Mitgliedern bestätigt, die noch nicht "
    "unterstützt haben.",
    "Vorgezogen: gut belegt und mit konkretem Lösungsvorschlag; eignet sich für das Gespräch "
    "mit dem Hersteller.",
    "Vorgezogen: Der Hersteller plant zu diesem Thema Änderungen; frühe Hinweise wirken mehr "
    "als spätere Kritik.",
)
SKIPPED_RATIONALE = (
    "Höher gerankte Punkte sind noch in Prüfung (neu oder mit offener Rückfrage) und deshalb "
    "nicht gelistet."
)
DEMOTION_RATIONALE = "Nachrangig: zugunsten der vorgezogenen Punkte eingeordnet."

#: (name, kind) of the vendor board meetings the association was heard at.
QUALITY_BOARD = ("Quality Board Partnerprogramm", "quality-board")
INNER_CIRCLE = ("Inner Circle Lizenzierung", "inner-circle")

#: The vendor's official answers by kind: (German, English); `{label}` names the topic.
RESPONSE_TEXTS: dict[str, tuple[str, str]] = {
    "acknowledged": (
        "Danke für die klare Darstellung und die Beispiele. Wir haben das Thema {label} an das "
        "zuständige Team gegeben und melden uns nach der internen Prüfung mit einem Vorschlag.",
        "Thank you for the clear write-up and the examples. We have passed this issue ({label}) "
        "to the team in charge and will come back with a proposal after our internal review.",
    ),
    "planned": (
        "Wir haben die Beispiele nachvollzogen und überarbeiten die Regeln zum Thema {label}. "
        "Den Stand berichten wir im nächsten Quality Board.",
        "We reproduced the examples and are revising our rules ({label}). We will report "
        "progress at the next Quality Board.",
    ),
    "workaround": (
        "Bis zu einer dauerhaften Lösung: Fälle zum Thema {label} bitte mit dem Stichwort "
        "„MSPN“ an das Partner-Desk DACH senden; sie werden dort bevorzugt bearbeitet.",
        "Until there is a permanent fix, please send such cases ({label}) to the DACH partner "
        'desk with the keyword "MSPN"; they will be handled with priority.',
    ),
    "declined": (
        "Die Regeln zum Thema {label} gelten weltweit einheitlich; eine Ausnahme für einzelne "
        "Länder ist derzeit nicht vorgesehen. Die Gründe erläutern wir gern im nächsten "
        "Quality Board.",
        "These rules ({label}) apply worldwide; a country-specific exception is not planned at "
        "this time. We are happy to explain the reasons at the next Quality Board.",
    ),
    "shipped": (
        "Die angekündigte Änderung zum Thema {label} ist umgesetzt und seit {date} für alle "
        "Partner in Deutschland verfügbar.",
        "The announced change ({label}) has shipped and is available to all partners in "
        "Germany since {date}.",
    ),
}
COMMITMENTS: tuple[tuple[str, str], ...] = (
    ("Überarbeitete, deutschsprachige Regeln zum Thema {label} mit drei Monaten Vorlauf "
     "veröffentlichen.",
     "Publish consolidated rules for partners in Germany ({label}), with three months' notice "
     "of changes."),
    ("Eine feste Ansprechperson für {label} benennen und Anfragen binnen zehn Arbeitstagen "
     "beantworten.",
     "Name a fixed contact ({label}) and answer requests within ten working days."),
)  # fmt: skip
FOLLOW_UP_TEXT = (
    "Wir bedauern, dass der zugesagte Termin nicht gehalten wurde. Die Änderung zum Thema "
    "{label} hat sich durch eine weltweite Abstimmung verzögert; der neue Termin ist fest "
    "eingeplant.",
    "We regret missing the date we committed to. The change ({label}) was delayed by a "
    "worldwide review; the new date is firmly scheduled.",
)
FOLLOW_UP_COMMITMENT = (
    "Änderung zum Thema {label} umsetzen; Zwischenstand vorab an den Vorstand.",
    "Ship the change ({label}); an interim status to the board beforehand.",
)
#: The source's example: partner input led the vendor to simplify online registration.
REGISTRATION_PLANNED = (
    "Die Beispiele aus dem Quality Board haben wir nachvollzogen. Wir vereinfachen die "
    "Online-Partnerregistrierung: Neue Mitarbeiter werden künftig über die E-Mail-Domain "
    "ihrer Firma zugeordnet, der Handelsregisterauszug wird nur noch bei Änderungen "
    "angefordert."
)
REGISTRATION_COMMITMENT = (
    "Vereinfachte Online-Partnerregistrierung für Partner in Deutschland freischalten."
)
REGISTRATION_SHIPPED = (
    "Die vereinfachte Online-Partnerregistrierung ist seit {date} live: Zuordnung neuer "
    "Mitarbeiter über die Firmen-Domain, Handelsregisterauszug nur noch bei Änderungen. Den "
    "Anstoß gaben die Beispiele der Partner im Quality Board Partnerprogramm."
)
REGISTRATION_MET = (
    "Umgesetzt: Neue Mitarbeiter mehrerer Mitglieder wurden ohne Rückfragen der eigenen Firma "
    "zugeordnet."
)
COMMITMENT_MET = "Fristgerecht umgesetzt; von Mitgliedern im Arbeitskreis bestätigt."
COMMITMENT_MISSED = (
    "Zum Zieltermin nicht umgesetzt und ohne Zwischenstand; wird im Inner Circle erneut "
    "angesprochen."
)
RESOLVED_REASON = "Vom Hersteller umgesetzt und von Mitgliedern bestätigt; erledigt."
#: Topic symptoms that say the same in German and English: one issue raised twice.
SAME_SYMPTOMS: tuple[tuple[str, str], ...] = (
    ("Statusverlust trotz unveränderter Leistung",
     "Partner status downgraded despite unchanged performance"),
    ("Lizenzbedingungen für Virtualisierung widersprüchlich",
     "Virtualisation rights contradict the product terms"),
    ("Kein verbindlicher Ansprechpartner für Lizenzfragen",
     "No binding answers to licensing questions"),
    ("Auszahlungen kommen mit mehreren Monaten Verzug", "Rebate payouts months late"),
    ("Abrechnungen nicht nachvollziehbar", "Incentive statements cannot be reconciled"),
    ("Severity-A-Fälle werden herabgestuft", "Critical cases downgraded by first-level support"),
    ("Registrierte Projekte gehen an Direktvertrieb",
     "Registered deals taken over by direct sales"),
    ("Freigabe dauert länger als die Ausschreibung", "Approval slower than the tender"),
    ("Mitarbeiter lassen sich nicht der eigenen Firma zuordnen",
     "New staff cannot be linked to their company"),
    ("Handelsregisterauszug wird jedes Jahr neu verlangt",
     "Company verification repeated every year"),
    ("Prüfungen werden kurz nach dem Ablegen eingestellt",
     "Exams retired shortly after staff passed them"),
    ("Ein Mitarbeiter zählt nur für eine Kompetenz",
     "One engineer cannot count towards two competencies"),
    ("Erstattung scheitert an Formalien", "Fund claims rejected on formalities"),
    ("Mittel verfallen vor Freigabe der Kampagne", "Funds expire before campaigns are approved"),
    ("Marge bei Abonnements deutlich niedriger", "Subscription margins far below licence margins"),
    ("Kein Migrationspfad für Bestandskunden", "No migration path for existing customers"),
    ("Preiserhöhung mitten in laufenden Angeboten", "Price increases during binding quotes"),
    ("Euro-Preise an Wechselkurs gekoppelt",
     "Euro prices follow the exchange rate at short notice"),
    ("Suche findet eigene Dokumente nicht", "Portal search does not find our own documents"),
    ("Ständige Abmeldung nach wenigen Minuten", "Sessions expire after a few minutes"),
    ("Lernpfade passen nicht zu den Prüfungen", "Learning paths do not match the exams"),
    ("Freigabe gemeinsamer Pressemitteilungen dauert Monate",
     "Joint press releases take months to approve"),
    ("Logo-Nutzungsregeln ändern sich ohne Hinweis", "Logo usage rules changed without notice"),
    ("Kundenprojekte im Ausland nicht anrechenbar",
     "Revenue from customers' foreign sites does not count"),
    ("Ansprechpartner anderer Länder nicht erreichbar",
     "No contact for projects in other countries"),
    ("Vorabinformationen zu Patches fehlen", "No advance notice of critical patches"),
    ("Fehlerhafte Updates ohne Rückrollanleitung",
     "Faulty updates shipped without rollback guidance"),
    ("Partnersuche zeigt veraltete Profile", "Partner finder lists outdated profiles"),
    ("Kundenanfragen werden nicht weitergeleitet", "Customer leads never reach us"),
    *zip((s for s, _ in GENERIC_SYMPTOMS_DE), (s for s, _ in GENERIC_SYMPTOMS_EN), strict=False),
)  # fmt: skip
