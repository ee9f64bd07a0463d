"""Realistic counselling notes for the de-identification tests.

CLEAN_NOTES hold no identifier at all: nothing in them may be flagged. They are written
the way counsellors write during a call: fast, half sentences, lists, lower-case starts.
"""

from __future__ import annotations

CLEAN_NOTES: tuple[str, ...] = (
    # 1. school absence, 13-year-old
    """Mor ringer. Hun er bekymret for sin søn på 13 år, som ikke har været i skole i tre uger.
Det startede efter efterårsferien. Han siger, at han har ondt i maven om morgenen, og når
mor presser på, bliver han vred og låser sig inde på værelset. Hans far bor i en anden by,
og drengen er hos ham hver anden weekend. Mor har talt med klasselæreren, som har foreslået
et møde med PPR. Skolen har også nævnt, at de kan lave en plan for gradvis tilbagevenden.
Mor er usikker på, om hun skal kontakte kommunen. Hun er bange for, at de tager sagen fra hende.

Rådgivning: Vi talte om at anerkende drengens følelser uden at give slip på forventningen om
skole. Små skridt: først en time om dagen, gerne med en voksen han er tryg ved. Mor vil
skrive til kontaktlæreren på Aula i morgen og bede om et møde i næste uge.
Opfølgning: Mor ringer igen om 14 dage. Hun har givet samtykke til, at vi noterer aftalen.""",
    # 2. anxiety and screens
    """Far ringer om datteren på 15. Hun sover dårligt, er oppe til langt ud på natten med
mobilen og er træt i skolen. Hun har mistet en veninde i klassen og føler sig udenfor.
Far fortæller, at hun har skrevet til en ven, at hun ikke kan se meningen med noget.
Vi talte om, at det skal tages alvorligt. Far vil tale med hende i aften og spørge direkte.
Han kender Headspace og Børns Vilkår og vil vise hende BørneTelefonen.
Vi aftalte, at han kontakter egen læge i morgen. Ved akut fare: ring 112 eller skadestuen.
Mandag har hun en samtale med skolens AKT-lærer. Opfølgning i januar.""",
    # 3. divorce and custody
    """Mor og far er gået fra hinanden i sommer. Børnene på 6 og 9 år bor skiftevis hos dem
i en 7/7-ordning. Den yngste græder ved skiftene og vil ikke sove alene. Sagen ligger i
Familieretshuset, og der er et møde om samvær i november. Mor spørger, hvordan hun kan
tale med børnene om skilsmissen uden at tale grimt om far.
Råd: fælles forklaring, faste ritualer ved skift, en bamse der kan flytte med.
Forældrene kan få en børnesagkyndig samtale gennem Familieretshuset. Mor vil overveje det.""",
    # 4. English note
    """Mother called about her son, 11, who refuses to go to school. He says the other boys
tease him during the breaks and in the changing room after PE. She has spoken to the teacher
twice but nothing has changed. The school has offered a meeting with the psychologist from
PPR next Tuesday. We talked about writing down what happens each day and keeping calm in the
mornings. She will call back after the meeting. The boy likes football and drawing, and his
grandmother lives nearby and helps in the afternoons.""",
    # 5. bullet list, lower-case, fast typing
    """- mor bekymret for datter 8 år, ondt i maven hver søndag aften
- sfo svært, konflikter med andre børn
- har været til sundhedsplejersken, ingen fysisk årsag
- skolen foreslår møde m. ppr
- mor vil gerne have gode råd til morgenrutinen
- aftale: mor prøver visuel dagsplan + roligere morgener, ringer igen efter jul
- Mandag og onsdag er værst, fredag er bedst.""",
    # 6. ADHD question, municipal help system
    """Forældrene har fået svar på udredningen i BUP: ADHD og angst. De er lettede, men også
i tvivl om medicin. Kommunen har tilbudt et forældrekursus, og skolen har søgt om støtte i
klassen. Sagsbehandleren har ringet én gang, men de har ikke hørt mere. Vi talte om, hvad de
kan forvente af en børnefaglig undersøgelse, og at de må bede om at få aktindsigt.
Far er bekymret for, at sønnen bliver stemplet. Mor vil gerne vide, om der findes
forældregrupper. Vi nævnte ADHD-foreningen og Forældretelefonen.""",
    # 7. self-harm, teenager, sentence starts with nouns
    """Datteren på 14 har skåret i armene. Mor opdagede det i går, da hun så et plaster.
Samtalen med datteren gik skævt, og nu taler de ikke sammen. Skam fylder meget hos mor.
Råd: gå roligt frem, vis omsorg uden bebrejdelser, spørg til hvordan hun har det.
Lægen skal inddrages, og psykiatrien kan blive relevant. Mor kender ikke SIND eller LMS.
Vi gav hende nummeret til Børnetelefonen til datteren. Sorg efter morfars død sidste år
kan også spille ind. Opfølgning: mor ringer på torsdag.""",
    # 8. daycare transition
    """Drengen på 5 skal starte i skole efter sommerferien. Han er meget genert og klamrer sig
til mor ved aflevering i børnehaven. Pædagogerne siger, at han leger fint, når mor er gået.
Mor er selv nervøs for skolestarten og har dårlige minder fra sin egen skoletid.
Vi talte om at besøge skolen og SFO'en sammen før start, og om at læse bøger om at gå i
skole. Overgangen fra børnehave til skole er en stor forandring for mange børn.
Mor vil spørge børnehaven om en overleveringssamtale med skolen.""",
    # 9. digital life
    """Far fortæller, at sønnen på 12 spiller Fortnite og Roblox flere timer hver dag og bliver
voldsom, når han skal stoppe. Han har fået en ny telefon til jul og er på Snapchat og TikTok.
Der har været grimme beskeder i en gruppechat fra klassen. Far har taget skærmbilleder.
Vi talte om aftaler om skærmtid, om at skolen bør kende til mobningen, og om SletDet hos
Red Barnet, hvis der deles billeder. Far vil tale med lærerne og forældrerådet.""",
    # 10. eating, sentence-initial ambiguous words
    """Mad er blevet et problem. Pigen på 16 spiser meget lidt og træner hver dag.
Vægten er faldet, og menstruationen er udeblevet. Mor er bange for en spiseforstyrrelse.
Storm i familien, når emnet tages op. Sol og frisk luft hjælper lidt, siger mor.
Marken bag huset bruger hun til at løbe. Mark og skov er hendes frirum.
Råd: kontakt egen læge hurtigt, tal om følelser og ikke om vægt. LMS har rådgivning til
pårørende. Opfølgning om en uge.""",
    # 11. sibling conflicts, "Hans" as pronoun
    """Hans storebror driller ham hele tiden. Hans mor siger, at det er gået over gevind.
Hendes mand arbejder meget og er sjældent hjemme. Deres hverdag er presset.
Forældrene vil gerne have redskaber til at håndtere konflikter mellem søskende.
Vi talte om at give hver af børnene alenetid og om faste regler for skærm og pligter.""",
    # 12. English lower-risk: weekdays and months
    """Dad says his daughter has been sad since March. She used to love school but in
September she started to stay home on Mondays and Fridays. Her mum and dad are separated.
The school nurse and the class teacher are involved. He will contact the family's doctor
in January if nothing changes. We agreed to talk again next Wednesday.""",
    # 13. numbers that are not identifiers
    """Skoleåret 2023-2024 har været hårdt. Fraværet er på 25 %, ca. 40 dage ud af 160.
Mødet er kl. 14.30 den 12.10. Karakteren i dansk var 7, i matematik 4. Han går i 7.b.
Familien har fået 2500-3000 kr. i tilskud. Han sover 6-7 timer. Uge 42 er efterårsferie.
Det koster 1.200 kr. om måneden. Mor har sparet 15.000 kr. op. I 2019 flyttede de.""",
    # 14. municipal services words, generic institutions
    """Familieafdelingen har bevilget en familiebehandler. Skolen har oprettet en
specialklasse, og kommunen overvejer en plads på en specialskole eller en heldagsskole.
Efterskole kan være en mulighed om to år. Gymnasiet er langt væk. Fritidsklubben har
lukket. Sundhedsplejersken kommer hver anden uge. Folkeskolen har ikke ressourcerne.
Psykiatrien har lang ventetid. Ungdomsklubben er et godt sted for ham.""",
    # 15. quotes and dialogue
    """Mor citerer sønnen: "Jeg hader skolen, ingen gider mig." Hun svarede: "Det lyder
rigtig svært." Bagefter græd han. Mor spørger: Skal jeg tvinge ham af sted?
Vi talte om, at tvang sjældent virker, men at det er vigtigt at holde kontakten til skolen.
Far: "Han skal bare tage sig sammen." Forældrene er uenige, og det fylder.""",
    # 16.
    """Mormor ringer på vegne af sin datter, som er alenemor til to drenge på 4 og 11 år. Den
ældste har svært ved at falde i søvn og vågner flere gange om natten. Han er bange
for, at der skal ske mor noget, efter hun var indlagt i foråret. Mormor hjælper med
hentning to dage om ugen. Skolen har ikke bemærket noget, men SFO-pædagogen siger, at
han er mere stille end før. Vi talte om at give drengen ord for sine bekymringer, om
en fast aftenrutine og om at tale åbent om sygdommen på et niveau, han kan forstå.
Sorggruppen i kommunen kan være en mulighed, hvis det bliver ved.""",
    # 17.
    """Far er nybekymret. Datteren på 12 har fået en kæreste på 16, som hun har mødt online.
Hun har sendt billeder, som hun nu fortryder. Far har ikke sagt noget til hende endnu,
fordi han er bange for at hun lukker af. Vi talte om, at hun ikke har gjort noget
forkert, og at deling af billeder af børn er ulovligt. Råd: en rolig samtale, ingen
skældud, og at anmelde til politiet og få hjælp af SletDet. Far vil også kontakte
skolens ledelse, fordi det kan være sket via en skolekammerat.""",
    # 18.
    """Forældrene ringer sammen. Sønnen på 17 går på gymnasiet og har fået mange fravær. Han
sidder oppe om natten og spiller og siger, at han er ligeglad med skolen. Forældrene
er uenige om, hvor hårdt de skal slå ned. Mor vil tage computeren, far vil give ham
plads. Vi talte om at finde en fælles linje, om at spørge nysgerrigt til, hvad der
ligger bag, og om at studievejlederen kan inddrages. Depression og angst kan vise sig
som ligegyldighed. Han kan få gratis psykologhjælp gennem egen læge, når han er 17.""",
    # 19.
    """Mor er fra Somalia og taler godt dansk. Hendes søn på 10 er blevet kaldt grimme ting i
skolegården. Hun føler ikke, at skolen tager det alvorligt. Klasselæreren har sagt, at
drengene bare driller hinanden. Vi talte om skolens pligt til at have en
antimobbestrategi og handleplan, og at hun kan klage til DCUM, hvis skolen ikke
handler. Hun vil skrive til skolelederen og bede om et møde med tolk. Opfølgning: hun
ringer om en uge.""",
    # 20.
    """Bedstefar ringer. Hans barnebarn på 8 bor hos ham og mormoren, fordi forældrene har
misbrug. Drengen har raseriudbrud og slår. Kommunen har en sag, og der er en
familieplejeaftale. Bedstefar føler sig alene og er træt. Vi talte om at få
aflastning, om netværksplejeforeningen og om at bede sagsbehandleren om et møde om
støtte til familien. Drengen har brug for ro og forudsigelighed. Bedstefar vil
kontakte kommunen på mandag.""",
    # 21.
    """Mor fortæller, at datteren har svært ved at spise i skolen, fordi der er larm i
kantinen. Hun spiser til gengæld meget, når hun kommer hjem. Hun er udredt for autisme
sidste år. Skolen har lavet en aftale om, at hun kan spise i et grupperum med en ven.
Det hjælper lidt. Mor spørger til sansestimulering og til, om hun skal skifte til en
specialskole. Vi talte om fordele og ulemper og om at inddrage PPR i vurderingen.""",
    # 22.
    """Far spørger, hvordan han skal fortælle sønnen på 6 om, at farfar er død. Begravelsen
er på fredag. Drengen har spurgt, om farfar kan komme igen. Vi talte om at bruge
konkrete ord som død, om at børn sørger i spring, og om at han godt må komme med til
begravelsen, hvis han vil og er forberedt. Børn, Unge & Sorg har materialer til
forældre.""",
    # 23.
    """Mor er bekymret for sønnens forbrug af energidrikke og for at han har røget hash med
nogle ældre drenge. Han er 15 og går i 9. klasse. Han er blevet mere indelukket og har
mistet interessen for håndbold, som han ellers elskede. Vi talte om at holde
kontakten, om at spørge til vennerne og om SSP-konsulenten og Ungdomsklubben i
kommunen. Mor vil ringe til rusmiddelrådgivningen for unge og høre, hvad de tilbyder.""",
    # 24.
    """Mother phoned from the car. Her daughter, 14, has stopped eating lunch at school and
says she is fat. Her weight has dropped and she exercises every evening. The mother is
scared. We talked about contacting the family doctor this week, about not commenting
on food or weight, and about LMS, which has advice for parents. The father works
abroad and does not know yet. She will call again on Thursday.""",
    # 25.
    """Far har fået en underretning fra skolen. Han er vred og ked af det. Sønnen har fortalt
læreren, at far slår. Far siger, at han tog ham hårdt i armen én gang. Vi talte om,
hvad en underretning betyder, og at kommunen skal vurdere barnets trivsel. Far vil
gerne have hjælp til at håndtere sin vrede. Vi nævnte Dialog mod Vold og
forældrekurser i kommunen. Vi aftalte, at han tager kontakt til sagsbehandleren, når
han hører fra kommunen.""",
    # 26. names-as-words and odd capitals that must stay
    """Det gik godt til Skolernes Motionsdag. Mor har fået en tid hos Familiehuset.
De har søgt om aflastning gennem Handicapafdelingen. Mor har kontakt til Børne- og
Familiecentret. Han har fået Concerta og Melatonin. Ring 1813 ved akut sygdom.
Forældrene har fået tilbudt et kursus i De Utrolige År. Tidligt i August starter skolen.
Hans storebror driller ham, og hans mor siger, at det er gået over gevind.
Mor læser til pædagog og arbejder i en Netto om aftenen. Far er fra Polen.
Han elsker LEGO og Pokémon. Hun går i 8.A på en privatskole. SFO'en og PPR's psykolog.""",
)

#: One note with an identifier of each kind planted in it (names, phone, birth date,
#: address, school, case number, e-mail, CPR, handle, daycare).
PLANTED_NOTE = """Mor (Mette Hansen, tlf. 20 30 40 50) ringer om sin søn Oliver, født 03.03.2014.
De bor på Vestergade 12, 3. th., 8000 Aarhus C. Oliver går på Vestervang Skole, og lærer
Hanne har sendt en besked. Sagsbehandleren Birgit fra Aarhus Kommune har sagsnr. 2023-1234.
Mor skriver fra mette.hansen@gmail.com. Cpr 030314-1234 blev nævnt ved en fejl.
Han er på Snapchat som @oliver_2014. Lillesøster Ida går i Børnehaven Solsikken.
PPR og Børns Vilkår er inde over, og mor har talt med skolen og kommunen."""

#: Pieces of realistic notes and identifiers, so that generated texts hit the detectors.
FRAGMENTS = [
    "Oliver", "Mette Hansen", "lærer Hanne", "min søn", "Bo", "Mark", "Hans", "Storm",
    "20 30 40 50", "+45 2030 4050", "030314-1234", "mette@gmail.com", "@lillemy_2010",
    "www.example.dk", "Vestergade 12, 3. th.", "8000 Aarhus C", "Vestervang Skole",
    "Børnehaven Solsikken", "Aarhus Kommune", "født 3. marts 2014", "sagsnr. 2023-1234",
    "PPR", "Børns Vilkår", "skolen", "kommunen", "Mor ringer.", ". ", ", ", "\n", " ",
    "-", "'s", "s", "[navn]", "[", "]", "(", ")", ":", "\u200f", "\u202e", "\x00", "\x1b",
    "snap: ", "brugernavn: ", "hedder ", "født ", "sagsnr. ", "Kommune", "Skole", "Børnehaven ",
    "😀", "👨‍👩‍👧", "ß", "İ", "ǅ", "ﬁ", "\u0301", "Ærø", "Å", "ø", "1", "2023", "kl.",
]  # fmt: skip

#: Fragments aimed at the engine's shortcuts: where a number may start, what a cue looks like,
#: digits of other scripts, letters whose case folds apart from ``str.lower``.
HOSTILE = [
    "٣", "٠١", "０", "１２", "߁", "१२", "𝟗", "²", "½", "3٣", "٣3", "+", "++", "+45 ", "0045 ",
    "00", "0", "1", "12", "123", "2024", "1999-", "12345", "2024-49796", "-", "/", ".", ",",
    " ", "  ", "\t", "\n", "den ", "Den ", "d.", "19", "20", "3. maj", "3.maj", "3 maj",
    "3maj", "27/11-2023", "1/2", "3-1", "10.30", "İ", "ı", "ſ", "K", "Å", "ß", "Σ", "_",
    "__", "a_b", "_x", "@", "@@", "x@y.dk", "a", "Vej", "vej 1", "gade 12", "St ", "Road",
    "Sagsnr", "SAGS", "ſagsnr. ", "journalnr", "J.nr.", "jr.", "Ref:", "ref.", "CPR-nr",
    "case no ", "File number ", "caſe no ", "fıle no ", "bırthday ", "Bırth date ",
    "Født ", "FØDT ", "fødſelsdag ", "f. ", "F.", "fylder 13 ",
    "born ", "BIRTHDAY ", "birth date ", "date of birth ", "DOB:", "d.o.b. ", "hedder ",
    "Hed ", "hed\t", "kaldet ", "KALDES ", "navnet ", "named ", "name is ", "called ",
    "http://", "HTTPS://", "www.", "WWW.", "Www.x.dk", "snap: ", "Snapchat=", ":", "=",
    "\u2019", "\u201c", "–", "😀", "\ud800", "\x00", "lærer ", "(lærer ", "hr. ", "x/lærer ",
    "8000 Aarhus C", "Vestergade 12, 3. th.", "12 Baker Street", "Oliver", "min søn ",
]  # fmt: skip
