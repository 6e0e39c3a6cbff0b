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
