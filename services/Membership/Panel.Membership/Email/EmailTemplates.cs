namespace Panel.Membership.Email;

public sealed record EmailContent(string Subject, string Body);

/// <summary>Plain-text emails in the member's language (fi, sv, en).</summary>
public static class EmailTemplates
{
    public static EmailContent Verification(string language, string link, TimeSpan lifetime) => language switch
    {
        "fi" => new(
            "Vahvista sähköpostiosoitteesi – asukaspaneeli",
            $"""
            Hei,

            kiitos, että liityit hyvinvointialueen asukaspaneeliin. Vahvista sähköpostiosoitteesi avaamalla alla oleva linkki ja painamalla sivulla olevaa vahvistuspainiketta:

            {link}

            Linkki on voimassa {Lifetime("fi", lifetime)}, ja sitä voi käyttää kerran. Jos et liittynyt paneeliin, voit jättää tämän viestin huomiotta: sinua ei lisätä paneeliin ilman vahvistusta.

            Asukaspaneeli
            """),
        "sv" => new(
            "Bekräfta din e-postadress – invånarpanelen",
            $"""
            Hej,

            tack för att du anslöt dig till välfärdsområdets invånarpanel. Bekräfta din e-postadress genom att öppna länken nedan och trycka på bekräftelseknappen på sidan:

            {link}

            Länken gäller i {Lifetime("sv", lifetime)} och kan användas en gång. Om du inte har anslutit dig till panelen kan du bortse från detta meddelande: du läggs inte till i panelen utan bekräftelse.

            Invånarpanelen
            """),
        _ => new(
            "Confirm your email address – resident panel",
            $"""
            Hello,

            thank you for joining the wellbeing services county's resident panel. Please confirm your email address by opening the link below and pressing the confirmation button on the page:

            {link}

            The link is valid for {Lifetime("en", lifetime)} and can be used once. If you did not join the panel, you can ignore this message: you will not be added to the panel without confirmation.

            Resident panel
            """),
    };

    public static EmailContent SignIn(string language, string link, TimeSpan lifetime) => language switch
    {
        "fi" => new(
            "Kirjautumislinkki – asukaspaneeli",
            $"""
            Hei,

            pyysit linkkiä, jolla kirjaudut asukaspaneelin Oma paneeli -sivulle. Kirjaudu avaamalla linkki:

            {link}

            Linkki on voimassa {Lifetime("fi", lifetime)}, ja sitä voi käyttää kerran. Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta.

            Asukaspaneeli
            """),
        "sv" => new(
            "Inloggningslänk – invånarpanelen",
            $"""
            Hej,

            du bad om en länk för att logga in på sidan Min panel i invånarpanelen. Logga in genom att öppna länken:

            {link}

            Länken gäller i {Lifetime("sv", lifetime)} och kan användas en gång. Om du inte bad om länken kan du bortse från detta meddelande.

            Invånarpanelen
            """),
        _ => new(
            "Your sign-in link – resident panel",
            $"""
            Hello,

            you asked for a link to sign in to My panel of the resident panel. Sign in by opening the link:

            {link}

            The link is valid for {Lifetime("en", lifetime)} and can be used once. If you did not ask for it, you can ignore this message.

            Resident panel
            """),
    };

    /// <summary>
    /// To somebody who joined with an address already in the panel (the join page answered as for anybody): that the
    /// address cannot join twice, and a sign-in link to My panel, where the membership can be seen and changed.
    /// </summary>
    public static EmailContent AlreadyMember(string language, string link, TimeSpan lifetime) => language switch
    {
        "fi" => new(
            "Olet jo asukaspaneelissa",
            $"""
            Hei,

            asukaspaneeliin yritettiin liittyä tällä sähköpostiosoitteella, mutta osoite on jo paneelissa, joten sillä ei voi liittyä uudelleen. Näet jäsenyytesi ja voit muuttaa sitä Oma paneeli -sivulla. Kirjaudu avaamalla linkki:

            {link}

            Linkki on voimassa {Lifetime("fi", lifetime)}, ja sitä voi käyttää kerran. Jos et yrittänyt liittyä, voit jättää tämän viestin huomiotta: jäsenyytesi ei muuttunut.

            Asukaspaneeli
            """),
        "sv" => new(
            "Du är redan med i invånarpanelen",
            $"""
            Hej,

            någon försökte ansluta sig till invånarpanelen med den här e-postadressen, men adressen finns redan i panelen och kan inte anslutas igen. Du ser ditt medlemskap och kan ändra det på sidan Min panel. Logga in genom att öppna länken:

            {link}

            Länken gäller i {Lifetime("sv", lifetime)} och kan användas en gång. Om det inte var du som försökte ansluta dig kan du bortse från detta meddelande: ditt medlemskap har inte ändrats.

            Invånarpanelen
            """),
        _ => new(
            "You are already in the resident panel",
            $"""
            Hello,

            somebody tried to join the resident panel with this email address, but the address is already in the panel, so it cannot join again. You can see and change your membership on My panel. Sign in by opening the link:

            {link}

            The link is valid for {Lifetime("en", lifetime)} and can be used once. If it was not you who tried to join, you can ignore this message: your membership has not changed.

            Resident panel
            """),
    };

    /// <summary>The subject of an invitation (or a reminder) to a survey, in the member's language.</summary>
    public static string InvitationSubject(string language, string title, bool reminder)
    {
        var prefix = (language, reminder) switch
        {
            ("fi", false) => "Kutsu kyselyyn",
            ("fi", true) => "Muistutus: kutsu kyselyyn",
            ("sv", false) => "Inbjudan till enkät",
            ("sv", true) => "Påminnelse: inbjudan till enkät",
            (_, false) => "Invitation to a survey",
            (_, true) => "Reminder: invitation to a survey",
        };
        var subject = $"{prefix}: {title}";
        return subject.Length <= 200 ? subject : subject[..199] + "…";
    }

    /// <summary>
    /// An invitation (or a reminder) to answer a survey: its title, purpose and closing time, the personal link,
    /// and that the answers are anonymous. Rendered when sent, so the link is never stored in the email outbox.
    /// </summary>
    public static EmailContent Invitation(string language, string title, string purpose, DateTime closesLocal, string link, bool reminder) => language switch
    {
        "fi" => new(
            InvitationSubject(language, title, reminder),
            $"""
            Hei,

            {(reminder ? "muistutamme, että sinut on kutsuttu vastaamaan hyvinvointialueen asukaspaneelin kyselyyn. Et ole vielä vastannut – vastauksesi on tärkeä." : "sinut on valittu satunnaisesti vastaamaan hyvinvointialueen asukaspaneelin kyselyyn.")}

            {title}

            {purpose}

            Vastaa kyselyyn henkilökohtaisen linkkisi kautta viimeistään {closesLocal.ToString("d.M.yyyy 'klo' H.mm", Fi)}:

            {link}

            Vastauksesi ovat nimettömiä: niitä ei voi yhdistää sinuun, eikä alle viiden vastaajan ryhmistä näytetä tuloksia. Linkki on henkilökohtainen, joten älä jaa sitä. Kyselyyn voi vastata kerran.

            Asukaspaneeli
            """),
        "sv" => new(
            InvitationSubject(language, title, reminder),
            $"""
            Hej,

            {(reminder ? "vi påminner om att du har bjudits in att svara på en enkät i välfärdsområdets invånarpanel. Du har ännu inte svarat – ditt svar är viktigt." : "du har slumpmässigt valts ut att svara på en enkät i välfärdsområdets invånarpanel.")}

            {title}

            {purpose}

            Svara via din personliga länk senast {closesLocal.ToString("d.M.yyyy 'kl.' HH.mm", Sv)}:

            {link}

            Dina svar är anonyma: de kan inte kopplas till dig, och inga resultat visas för grupper med färre än fem svarande. Länken är personlig, så dela den inte. Enkäten kan besvaras en gång.

            Invånarpanelen
            """),
        _ => new(
            InvitationSubject(language, title, reminder),
            $"""
            Hello,

            {(reminder ? "this is a reminder that you have been invited to answer a survey of the wellbeing services county's resident panel. You have not answered yet – your answer matters." : "you have been chosen at random to answer a survey of the wellbeing services county's resident panel.")}

            {title}

            {purpose}

            Please answer through your personal link by {closesLocal.ToString("d MMMM yyyy 'at' HH:mm", En)}:

            {link}

            Your answers are anonymous: they cannot be linked to you, and no results are shown for groups of fewer than five respondents. The link is personal, so please do not share it. The survey can be answered once.

            Resident panel
            """),
    };

    private static readonly System.Globalization.CultureInfo Fi = System.Globalization.CultureInfo.GetCultureInfo("fi-FI");
    private static readonly System.Globalization.CultureInfo Sv = System.Globalization.CultureInfo.GetCultureInfo("sv-FI");
    private static readonly System.Globalization.CultureInfo En = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    internal static string Lifetime(string language, TimeSpan lifetime)
    {
        var inHours = lifetime.TotalMinutes % 60 == 0 && lifetime.TotalHours >= 1;
        var n = (int)(inHours ? lifetime.TotalHours : Math.Max(1, Math.Round(lifetime.TotalMinutes)));
        return (language, inHours) switch
        {
            ("fi", true) => n == 1 ? "tunnin" : $"{n} tuntia",
            ("fi", false) => n == 1 ? "minuutin" : $"{n} minuuttia",
            ("sv", true) => n == 1 ? "en timme" : $"{n} timmar",
            ("sv", false) => n == 1 ? "en minut" : $"{n} minuter",
            (_, true) => n == 1 ? "one hour" : $"{n} hours",
            _ => n == 1 ? "one minute" : $"{n} minutes",
        };
    }
}
