namespace Panel.Gateway.Tests.SurveyResults;

/// <summary>The fake's answers, in Reporting's JSON shapes. Suppressed numbers are null with suppressed = true.</summary>
public sealed partial class FakeReporting
{
    private const string Hidden = """{"respondents":null,"suppressed":true,"counts":null,"mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null}""";

    /// <summary>
    /// The closed survey, unfiltered: panel 397 respondents with every question type (option c of q-single, the rank of
    /// r3 and a matrix cell suppressed); the open-link audience hidden as a whole.
    /// </summary>
    public const string ResultsJson = """
        {"surveyId":"0a4f6a0e-1111-4c6e-9f1e-3c7a1a2b3c01","minimumGroupSize":5,"state":"closed",
         "title":{"fi":"Kotihoidon kysely","sv":"Hemvårdsenkät","en":"Home care survey"},
         "purpose":{"fi":"Selvitämme kotihoidon asiakkaiden kokemuksia.","sv":"Vi utreder hemvårdskundernas erfarenheter.","en":"We study the experiences of home care clients."},
         "resultsUse":{"fi":"Tulokset ohjaavat käyntiaikojen suunnittelua.","sv":"Resultaten styr planeringen av besökstider.","en":"The results guide the planning of visit times."},
         "filter":null,
         "invitations":{"invited":500,"opened":430,"answered":412,"responseRate":0.824},
         "audiences":[
          {"audience":"panel","respondents":397,"suppressed":false,"questions":[
           {"questionId":"q-single","labels":{"options":{"a":{"fi":"Erittäin tyytyväinen","en":"Very satisfied"},"b":{"fi":"Melko tyytyväinen","en":"Fairly satisfied"},"c":{"fi":"Tyytymätön","en":"Dissatisfied"}},"rows":{},"scale":{}},"type":"single-choice","text":{"fi":"Kuinka tyytyväinen olet kotihoitoon?","sv":"Hur nöjd är du med hemvården?","en":"How satisfied are you with home care?"},
            "respondents":397,"suppressed":true,"counts":[{"id":"a","value":211,"percent":53.1,"suppressed":false},{"id":"b","value":183,"percent":46.1,"suppressed":false},{"id":"c","value":null,"percent":null,"suppressed":true}],
            "mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null},
           {"questionId":"q-multi","type":"multiple-choice","text":{"fi":"Mitä palveluja käytät?","sv":"Vilka tjänster använder du?","en":"Which services do you use?"},
            "respondents":390,"suppressed":false,"counts":[{"id":"x","value":250,"percent":64.1,"suppressed":false},{"id":"y","value":140,"percent":35.9,"suppressed":false},{"id":"z","value":37,"percent":9.5,"suppressed":false}],
            "mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null},
           {"questionId":"q-likert","type":"likert","text":{"fi":"Käynnit ovat riittävän pitkiä.","sv":"Besöken är tillräckligt långa.","en":"Visits are long enough."},
            "respondents":392,"suppressed":false,"counts":[{"id":"1","value":20,"percent":5.1,"suppressed":false},{"id":"2","value":40,"percent":10.2,"suppressed":false},{"id":"3","value":100,"percent":25.5,"suppressed":false},{"id":"4","value":150,"percent":38.3,"suppressed":false},{"id":"5","value":82,"percent":20.9,"suppressed":false}],
            "mean":3.59,"median":4,"nps":null,"rows":null,"options":null,"texts":null},
           {"questionId":"q-nps","type":"nps","text":{"fi":"Suosittelisitko kotihoitoa?","sv":"Skulle du rekommendera hemvården?","en":"Would you recommend home care?"},
            "respondents":380,"suppressed":false,"counts":[{"id":"0","value":5,"percent":1.3,"suppressed":false},{"id":"1","value":6,"percent":1.6,"suppressed":false},{"id":"2","value":7,"percent":1.8,"suppressed":false},{"id":"3","value":8,"percent":2.1,"suppressed":false},{"id":"4","value":9,"percent":2.4,"suppressed":false},{"id":"5","value":10,"percent":2.6,"suppressed":false},{"id":"6","value":20,"percent":5.3,"suppressed":false},{"id":"7","value":40,"percent":10.5,"suppressed":false},{"id":"8","value":80,"percent":21.1,"suppressed":false},{"id":"9","value":100,"percent":26.3,"suppressed":false},{"id":"10","value":95,"percent":25,"suppressed":false}],
            "mean":7.51,"median":8,"nps":34.2,"rows":null,"options":null,"texts":null},
           {"questionId":"q-number","type":"number","text":{"fi":"Montako käyntiä viikossa?","sv":"Hur många besök i veckan?","en":"How many visits a week?"},
            "respondents":300,"suppressed":false,"counts":null,"mean":42.37,"median":40,"nps":null,"rows":null,"options":null,"texts":null},
           {"questionId":"q-text","type":"free-text","text":{"fi":"Mitä haluat sanoa?","sv":"Vad vill du säga?","en":"What would you like to say?"},
            "respondents":120,"suppressed":false,"counts":null,"mean":null,"median":null,"nps":null,"rows":null,"options":null,
            "texts":["Hoitajat ovat ystävällisiä.","Soittakaa numeroon [puhelinnumero]."]},
           {"questionId":"q-rank","type":"ranking","text":{"fi":"Järjestä tärkeysjärjestykseen","sv":"Rangordna","en":"Rank by importance"},
            "respondents":350,"suppressed":true,"counts":null,"mean":null,"median":null,"nps":null,
            "rows":[{"id":"r1","respondents":350,"suppressed":false,"counts":[{"id":"1","value":220,"percent":62.9,"suppressed":false},{"id":"2","value":100,"percent":28.6,"suppressed":false},{"id":"3","value":30,"percent":8.6,"suppressed":false}]},
                    {"id":"r2","respondents":350,"suppressed":false,"counts":[{"id":"1","value":100,"percent":28.6,"suppressed":false},{"id":"2","value":115,"percent":32.9,"suppressed":false},{"id":"3","value":135,"percent":38.6,"suppressed":false}]},
                    {"id":"r3","respondents":null,"suppressed":true,"counts":[{"id":"1","value":null,"percent":null,"suppressed":true},{"id":"2","value":135,"percent":null,"suppressed":false},{"id":"3","value":185,"percent":null,"suppressed":false}]}],
            "options":[{"id":"r1","total":null,"share":null,"averageRank":1.46,"suppressed":false},{"id":"r2","total":null,"share":null,"averageRank":2.1,"suppressed":false},{"id":"r3","total":null,"share":null,"averageRank":null,"suppressed":true}],"texts":null},
           {"questionId":"q-matrix","labels":{"options":{},"rows":{"m1":{"fi":"Hoitajien ystävällisyys","en":"Friendliness of nurses"},"m2":{"fi":"Aikataulujen pitävyys","en":"Keeping to schedule"}},"scale":{"s1":{"fi":"Huono","en":"Poor"},"s2":{"fi":"Kohtalainen","en":"Fair"},"s3":{"fi":"Hyvä","en":"Good"}}},"type":"matrix","text":{"fi":"Arvioi kotihoitoa","sv":"Bedöm hemvården","en":"Rate home care"},
            "respondents":330,"suppressed":true,"counts":null,"mean":null,"median":null,"nps":null,
            "rows":[{"id":"m1","respondents":330,"suppressed":false,"counts":[{"id":"s1","value":30,"percent":9.1,"suppressed":false},{"id":"s2","value":100,"percent":30.3,"suppressed":false},{"id":"s3","value":200,"percent":60.6,"suppressed":false}]},
                    {"id":"m2","respondents":327,"suppressed":true,"counts":[{"id":"s1","value":null,"percent":null,"suppressed":true},{"id":"s2","value":160,"percent":48.9,"suppressed":false},{"id":"s3","value":164,"percent":50.2,"suppressed":false}]}],
            "options":null,"texts":null},
           {"questionId":"q-budget","labels":{"options":{"b1":{"fi":"Puistot","en":"Parks"},"b2":{"fi":"Kirjastot","en":"Libraries"}},"rows":{},"scale":{}},"type":"budget","text":{"fi":"Jaa 10 seteliä","sv":"Fördela 10 sedlar","en":"Share 10 vouchers"},
            "respondents":200,"suppressed":false,"counts":null,"mean":null,"median":null,"nps":null,"rows":null,
            "options":[{"id":"b1","total":1200,"share":0.6,"averageRank":null,"suppressed":false},{"id":"b2","total":800,"share":0.4,"averageRank":null,"suppressed":false}],"texts":null}
          ]},
          {"audience":"open-link","respondents":null,"suppressed":true,"questions":[
           {"questionId":"q-single","labels":{"options":{"a":{"fi":"Erittäin tyytyväinen","en":"Very satisfied"},"b":{"fi":"Melko tyytyväinen","en":"Fairly satisfied"},"c":{"fi":"Tyytymätön","en":"Dissatisfied"}},"rows":{},"scale":{}},"type":"single-choice","text":{"fi":"Kuinka tyytyväinen olet kotihoitoon?","sv":"Hur nöjd är du med hemvården?","en":"How satisfied are you with home care?"},
            "respondents":null,"suppressed":true,"counts":null,"mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null}
          ]}
         ]}
        """;

    /// <summary>The closed survey filtered: 88 respondents, option c suppressed, no free texts.</summary>
    public const string FilteredResultsJson = """
        {"surveyId":"0a4f6a0e-1111-4c6e-9f1e-3c7a1a2b3c01","minimumGroupSize":5,"state":"closed",
         "title":{"fi":"Kotihoidon kysely","sv":"Hemvårdsenkät","en":"Home care survey"},
         "purpose":{"fi":"Selvitämme kotihoidon asiakkaiden kokemuksia."},"resultsUse":{"fi":"Tulokset ohjaavat käyntiaikojen suunnittelua."},
         "filter":null,
         "invitations":{"invited":500,"opened":430,"answered":412,"responseRate":0.824},
         "audiences":[
          {"audience":"panel","respondents":88,"suppressed":false,"questions":[
           {"questionId":"q-single","labels":{"options":{"a":{"fi":"Erittäin tyytyväinen","en":"Very satisfied"},"b":{"fi":"Melko tyytyväinen","en":"Fairly satisfied"},"c":{"fi":"Tyytymätön","en":"Dissatisfied"}},"rows":{},"scale":{}},"type":"single-choice","text":{"fi":"Kuinka tyytyväinen olet kotihoitoon?","en":"How satisfied are you with home care?"},
            "respondents":88,"suppressed":true,"counts":[{"id":"a","value":57,"percent":64.8,"suppressed":false},{"id":"b","value":29,"percent":33,"suppressed":false},{"id":"c","value":null,"percent":null,"suppressed":true}],
            "mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null},
           {"questionId":"q-text","type":"free-text","text":{"fi":"Mitä haluat sanoa?","en":"What would you like to say?"},
            "respondents":31,"suppressed":false,"counts":null,"mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null}
          ]}
         ]}
        """;

    public const string PublishedResultsJson = """
        {"surveyId":"0a4f6a0e-2222-4c6e-9f1e-3c7a1a2b3c02","minimumGroupSize":5,"state":"results-published",
         "title":{"fi":"Perhepalvelujen kysely","sv":"Familjeservice","en":"Family services survey"},
         "purpose":{"fi":"Halusimme tietää, miten perhepalvelut toimivat."},"resultsUse":{"fi":"Tulokset ohjaavat neuvoloiden aukioloaikoja."},
         "filter":null,"invitations":{"invited":null,"opened":null,"answered":null,"responseRate":null},
         "audiences":[{"audience":"panel","respondents":90,"suppressed":false,"questions":[]}]}
        """;

    /// <summary>The published survey as the public sees it: an option suppressed, an NPS of 12.5, no free texts.</summary>
    public const string PublicResultsJson = """
        {"surveyId":"0a4f6a0e-2222-4c6e-9f1e-3c7a1a2b3c02",
         "title":{"fi":"Perhepalvelujen kysely","sv":"Familjeservice","en":"Family services survey"},
         "purpose":{"fi":"Halusimme tietää, miten perhepalvelut toimivat.","sv":"Vi ville veta hur familjeservicen fungerar.","en":"We wanted to know how family services work."},
         "resultsUse":{"fi":"Tulokset ohjaavat neuvoloiden aukioloaikoja.","sv":"Resultaten styr rådgivningarnas öppettider.","en":"The results guide the opening hours of child health clinics."},
         "publishedAt":"2026-11-02T08:00:00+00:00","minimumGroupSize":5,
         "invitations":{"invited":150,"opened":120,"answered":90,"responseRate":0.6},
         "audiences":[{"audience":"panel","respondents":90,"suppressed":false,"questions":[
           {"questionId":"p1","labels":{"options":{"yes":{"fi":"Kyllä","sv":"Ja","en":"Yes"},"partly":{"fi":"Osittain","sv":"Delvis","en":"Partly"},"no":{"fi":"Ei","sv":"Nej","en":"No"}},"rows":{},"scale":{}},"type":"single-choice","text":{"fi":"Saitko apua ajoissa?","sv":"Fick du hjälp i tid?","en":"Did you get help in time?"},
            "respondents":90,"suppressed":true,"counts":[{"id":"yes","value":64,"percent":71.1,"suppressed":false},{"id":"partly","value":null,"percent":null,"suppressed":true},{"id":"no","value":null,"percent":null,"suppressed":true}],
            "mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null},
           {"questionId":"p2","type":"nps","text":{"fi":"Suosittelisitko neuvolaa?","sv":"Skulle du rekommendera rådgivningen?","en":"Would you recommend the clinic?"},
            "respondents":88,"suppressed":false,"counts":[{"id":"0","value":0,"percent":0,"suppressed":false},{"id":"6","value":22,"percent":25,"suppressed":false},{"id":"8","value":33,"percent":37.5,"suppressed":false},{"id":"10","value":33,"percent":37.5,"suppressed":false}],
            "mean":8.0,"median":8,"nps":12.5,"rows":null,"options":null,"texts":null}
         ]}]}
        """;

    public const string FunnelJson = """
        {"surveyId":"0a4f6a0e-1111-4c6e-9f1e-3c7a1a2b3c01","minimumGroupSize":5,
         "days":[{"day":"2026-10-01","invited":500,"opened":200,"answered":150},{"day":"2026-10-02","invited":500,"opened":null,"answered":300},{"day":"2026-10-03","invited":500,"opened":430,"answered":412}],
         "totals":{"invited":500,"opened":430,"answered":412,"responseRate":0.824}}
        """;

    /// <summary>q-single by the requested attribute ("BY" is replaced): 65-74 shown, 75-84 hidden, the total.</summary>
    public const string CrosstabJson = """
        {"surveyId":"0a4f6a0e-1111-4c6e-9f1e-3c7a1a2b3c01","minimumGroupSize":5,"questionId":"q-single","type":"single-choice",
         "text":{"fi":"Kuinka tyytyväinen olet kotihoitoon?","en":"How satisfied are you with home care?"},"by":"BY","filter":null,
         "audiences":[{"audience":"panel","rows":[
           {"value":"65-74","respondents":120,"suppressed":false,"result":{"questionId":"q-single","labels":{"options":{"a":{"fi":"Erittäin tyytyväinen","en":"Very satisfied"},"b":{"fi":"Melko tyytyväinen","en":"Fairly satisfied"},"c":{"fi":"Tyytymätön","en":"Dissatisfied"}},"rows":{},"scale":{}},"type":"single-choice","text":{},"respondents":120,"suppressed":false,
             "counts":[{"id":"a","value":70,"percent":58.3,"suppressed":false},{"id":"b","value":50,"percent":41.7,"suppressed":false},{"id":"c","value":0,"percent":0,"suppressed":false}],"mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null}},
           {"value":"75-84","respondents":null,"suppressed":true,"result":{"questionId":"q-single","labels":{"options":{"a":{"fi":"Erittäin tyytyväinen","en":"Very satisfied"},"b":{"fi":"Melko tyytyväinen","en":"Fairly satisfied"},"c":{"fi":"Tyytymätön","en":"Dissatisfied"}},"rows":{},"scale":{}},"type":"single-choice","text":{},"respondents":null,"suppressed":true,"counts":null,"mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null}}],
          "total":{"value":"total","respondents":397,"suppressed":false,"result":{"questionId":"q-single","labels":{"options":{"a":{"fi":"Erittäin tyytyväinen","en":"Very satisfied"},"b":{"fi":"Melko tyytyväinen","en":"Fairly satisfied"},"c":{"fi":"Tyytymätön","en":"Dissatisfied"}},"rows":{},"scale":{}},"type":"single-choice","text":{},"respondents":397,"suppressed":true,
             "counts":[{"id":"a","value":211,"percent":53.1,"suppressed":false},{"id":"b","value":183,"percent":46.1,"suppressed":false},{"id":"c","value":null,"percent":null,"suppressed":true}],"mean":null,"median":null,"nps":null,"rows":null,"options":null,"texts":null}}}]}
        """;

    public const string CrosstabMatrixJson = """
        {"surveyId":"0a4f6a0e-1111-4c6e-9f1e-3c7a1a2b3c01","minimumGroupSize":5,"questionId":"q-matrix","type":"matrix",
         "text":{"fi":"Arvioi kotihoitoa"},"by":"BY","filter":null,
         "audiences":[{"audience":"panel","rows":[
           {"value":"fi","respondents":300,"suppressed":false,"result":{"questionId":"q-matrix","labels":{"options":{},"rows":{"m1":{"fi":"Hoitajien ystävällisyys","en":"Friendliness of nurses"},"m2":{"fi":"Aikataulujen pitävyys","en":"Keeping to schedule"}},"scale":{"s1":{"fi":"Huono","en":"Poor"},"s2":{"fi":"Kohtalainen","en":"Fair"},"s3":{"fi":"Hyvä","en":"Good"}}},"type":"matrix","text":{},"respondents":300,"suppressed":false,"counts":null,"mean":null,"median":null,"nps":null,
             "rows":[{"id":"m1","respondents":300,"suppressed":false,"counts":[{"id":"s1","value":27,"percent":9,"suppressed":false},{"id":"s2","value":93,"percent":31,"suppressed":false},{"id":"s3","value":180,"percent":60,"suppressed":false}]}],"options":null,"texts":null}}],
          "total":{"value":"total","respondents":330,"suppressed":false,"result":{"questionId":"q-matrix","labels":{"options":{},"rows":{"m1":{"fi":"Hoitajien ystävällisyys","en":"Friendliness of nurses"},"m2":{"fi":"Aikataulujen pitävyys","en":"Keeping to schedule"}},"scale":{"s1":{"fi":"Huono","en":"Poor"},"s2":{"fi":"Kohtalainen","en":"Fair"},"s3":{"fi":"Hyvä","en":"Good"}}},"type":"matrix","text":{},"respondents":330,"suppressed":false,"counts":null,"mean":null,"median":null,"nps":null,
             "rows":[{"id":"m1","respondents":330,"suppressed":false,"counts":[{"id":"s1","value":30,"percent":9.1,"suppressed":false},{"id":"s2","value":100,"percent":30.3,"suppressed":false},{"id":"s3","value":200,"percent":60.6,"suppressed":false}]}],"options":null,"texts":null}}}]}
        """;

}
