using Panel.Surveys.Definitions;

namespace Panel.Surveys.Templates;

/// <summary>A built-in template: the content a new survey starts from (kind, languages and texts; the area is chosen on use).</summary>
public sealed record BuiltInTemplate(string Id, LocalizedText Title, LocalizedText Description, SurveyContent Content);

/// <summary>The templates every county gets: a customer-experience survey and a digital skills self-assessment, in fi, sv and en.</summary>
public static class BuiltInTemplates
{
    public const string CustomerExperience = "customer-experience";
    public const string DigitalSkills = "digital-skills";

    private static LocalizedText T(string fi, string sv, string en) => new Dictionary<string, string> { ["fi"] = fi, ["sv"] = sv, ["en"] = en };

    private static OptionInput O(string id, string fi, string sv, string en) => new(id, T(fi, sv, en), null);

    private static readonly string[] Languages = ["fi", "sv", "en"];

    public static readonly IReadOnlyList<BuiltInTemplate> All =
    [
        new(
            CustomerExperience,
            T("Asiakaskokemuskysely (NPS)", "Enkät om kundupplevelse (NPS)", "Customer experience survey (NPS)"),
            T("Suosittelukysymys 0–10, avoin perustelu ja jatkokysymys niille, jotka eivät suosittelisi.",
                "Rekommendationsfråga 0–10, en öppen motivering och en följdfråga till dem som inte skulle rekommendera.",
                "A 0–10 recommendation question, an open reason, and a follow-up for those who would not recommend."),
            new SurveyContent(
                "questionnaire", null, DefinitionValidator.DefaultMinimumGroupSize, Languages,
                T("Kokemuksesi palvelustamme", "Din upplevelse av vår service", "Your experience of our service"),
                T("Haluamme tietää, miten palvelumme onnistui ja mitä voisimme tehdä paremmin.",
                    "Vi vill veta hur vår service lyckades och vad vi kunde göra bättre.",
                    "We want to know how well our service worked for you and what we could do better."),
                T("Tulokset käsitellään palvelun johtoryhmässä, joka valitsee niiden perusteella kehittämiskohteet. Kerromme tulossivulla, mitä muutimme.",
                    "Resultaten behandlas i tjänstens ledningsgrupp, som utifrån dem väljer vad som ska utvecklas. På resultatsidan berättar vi vad vi ändrade.",
                    "The results are discussed by the service's management team, who choose what to improve based on them. We report on the results page what we changed."),
                [
                    new PageInput("recommendation", null, null,
                    [
                        new QuestionInput("nps", "nps",
                            T("Kuinka todennäköisesti suosittelisit palveluamme läheisellesi?",
                                "Hur sannolikt är det att du skulle rekommendera vår service till någon närstående?",
                                "How likely are you to recommend our service to someone close to you?"),
                            null, true, null,
                            LowLabel: T("En lainkaan todennäköisesti", "Inte alls sannolikt", "Not at all likely"),
                            HighLabel: T("Erittäin todennäköisesti", "Mycket sannolikt", "Extremely likely")),
                        new QuestionInput("free-text", "reason",
                            T("Mikä on tärkein syy antamaasi arvioon?", "Vilken är den viktigaste orsaken till ditt betyg?", "What is the main reason for your score?"),
                            T("Älä kirjoita vastaukseen nimiä tai muita tunnistetietoja.", "Skriv inte namn eller andra identifierande uppgifter i svaret.",
                                "Please do not write names or other identifying details in your answer."),
                            false, null, MaxLength: 2000),
                    ]),
                    new PageInput("follow-up", null, null,
                    [
                        new QuestionInput("free-text", "improve",
                            T("Mitä meidän pitäisi tehdä toisin, jotta suosittelisit meitä?",
                                "Vad borde vi göra annorlunda för att du skulle rekommendera oss?",
                                "What should we do differently for you to recommend us?"),
                            null, false, new ConditionInput("nps", null, 0, 6), MaxLength: 2000),
                        new QuestionInput("single-choice", "contact-again",
                            T("Saammeko esittää sinulle paneelin kautta jatkokysymyksiä tästä aiheesta?",
                                "Får vi ställa följdfrågor om detta ämne till dig via panelen?",
                                "May we ask you follow-up questions on this topic through the panel?"),
                            null, false, null,
                            Options: [O("yes", "Kyllä", "Ja", "Yes"), O("no", "Ei", "Nej", "No")]),
                    ]),
                ])),
        new(
            DigitalSkills,
            T("Digitaitojen itsearvio", "Självbedömning av digitala färdigheter", "Digital skills self-assessment"),
            T("Matriisi sähköisten palvelujen taidoista, Likert-väittämä varmuudesta ja toivottu tuki.",
                "En matris om färdigheter i elektroniska tjänster, ett Likert-påstående om säkerhet och önskat stöd.",
                "A matrix of skills in digital services, a Likert statement on confidence, and the support wanted."),
            new SurveyContent(
                "questionnaire", null, DefinitionValidator.DefaultMinimumGroupSize, Languages,
                T("Digitaitosi sähköisissä palveluissa", "Dina digitala färdigheter i elektroniska tjänster", "Your skills with digital services"),
                T("Selvitämme, millaista tukea asukkaat tarvitsevat sähköisten palvelujen käyttöön.",
                    "Vi utreder vilket stöd invånarna behöver för att använda elektroniska tjänster.",
                    "We want to find out what support residents need to use digital services."),
                T("Tulosten perusteella suunnittelemme digituen palveluja, kuten digitukipisteitä, puhelinneuvontaa ja opastusta, niille jotka niitä tarvitsevat.",
                    "Utifrån resultaten planerar vi digitalt stöd, såsom stödpunkter, telefonrådgivning och handledning, för dem som behöver det.",
                    "Based on the results we plan digital support, such as support points, telephone guidance and tutoring, for those who need it."),
                [
                    new PageInput("skills", null, null,
                    [
                        new QuestionInput("matrix", "skills",
                            T("Kuinka hyvin osaat seuraavat asiat?", "Hur väl kan du följande?", "How well can you do the following?"),
                            null, true, null,
                            Rows:
                            [
                                O("sign-in", "Kirjautua verkkopalveluun pankkitunnuksilla tai mobiilivarmenteella",
                                    "Logga in i en webbtjänst med bankkoder eller mobilcertifikat",
                                    "Sign in to an online service with bank credentials or a mobile certificate"),
                                O("booking", "Varata ajan verkossa", "Boka en tid på nätet", "Book an appointment online"),
                                O("messages", "Lähettää viestin ammattilaiselle turvallisesti verkossa",
                                    "Skicka ett meddelande till en yrkesperson tryggt på nätet", "Send a secure message to a professional online"),
                                O("video", "Osallistua videovastaanotolle", "Delta i ett videobesök", "Take part in a video appointment"),
                                O("records", "Katsoa omia terveystietojasi Omakannasta", "Se dina hälsouppgifter i Mina Kanta-sidor",
                                    "View your health records in My Kanta Pages"),
                            ],
                            Scale:
                            [
                                O("cannot", "En osaa", "Kan inte", "I cannot"),
                                O("with-help", "Osaan avustettuna", "Kan med hjälp", "I can with help"),
                                O("alone", "Osaan itsenäisesti", "Kan självständigt", "I can on my own"),
                                O("teach", "Osaan neuvoa muitakin", "Kan hjälpa andra också", "I can help others too"),
                            ]),
                        new QuestionInput("likert", "confidence",
                            T("Olen varma itsestäni, kun käytän sähköisiä palveluja.", "Jag känner mig säker när jag använder elektroniska tjänster.",
                                "I feel confident when I use digital services."),
                            null, true, null, Points: 5,
                            Labels:
                            [
                                T("Täysin eri mieltä", "Helt av annan åsikt", "Strongly disagree"),
                                T("Jokseenkin eri mieltä", "Delvis av annan åsikt", "Somewhat disagree"),
                                T("Ei samaa eikä eri mieltä", "Varken av samma eller annan åsikt", "Neither agree nor disagree"),
                                T("Jokseenkin samaa mieltä", "Delvis av samma åsikt", "Somewhat agree"),
                                T("Täysin samaa mieltä", "Helt av samma åsikt", "Strongly agree"),
                            ]),
                    ]),
                    new PageInput("support", null, null,
                    [
                        new QuestionInput("multiple-choice", "support",
                            T("Millainen tuki auttaisi sinua eniten? Valitse enintään kolme.", "Vilket stöd skulle hjälpa dig mest? Välj högst tre.",
                                "What kind of support would help you most? Choose up to three."),
                            null, false, null,
                            Options:
                            [
                                O("support-point", "Henkilökohtainen opastus digitukipisteessä", "Personlig handledning vid en digital stödpunkt",
                                    "Personal guidance at a digital support point"),
                                O("phone", "Puhelinneuvonta", "Telefonrådgivning", "Guidance by telephone"),
                                O("course", "Ryhmäkoulutus", "Gruppkurs", "A group course"),
                                O("written", "Kirjalliset ohjeet ja videot", "Skriftliga instruktioner och videor", "Written instructions and videos"),
                                O("none", "En tarvitse tukea", "Jag behöver inget stöd", "I do not need support"),
                            ],
                            MinPicks: 0, MaxPicks: 3),
                        new QuestionInput("free-text", "other",
                            T("Mitä muuta haluaisit kertoa sähköisten palvelujen käytöstä?", "Vad mer vill du berätta om att använda elektroniska tjänster?",
                                "What else would you like to tell us about using digital services?"),
                            null, false, null, MaxLength: 1000),
                    ]),
                ])),
    ];

    public static BuiltInTemplate? Find(string id) => All.FirstOrDefault(t => t.Id == id);
}
