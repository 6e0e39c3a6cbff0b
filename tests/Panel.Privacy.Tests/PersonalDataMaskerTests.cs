using Panel.Privacy;

namespace Panel.Privacy.Tests;

/// <summary>Personal data in free text: identity codes (checksum and date checked), emails and phone numbers are masked; ordinary text and numbers stay.</summary>
public sealed class PersonalDataMaskerTests
{
    [Theory]
    [InlineData("131052-308T")] // the tax administration's example
    [InlineData("131052X308T")] // the same person with the 1900s sign of 2023
    [InlineData("040506U789L")]
    [InlineData("071199W050J")]
    [InlineData("300190V321R")]
    [InlineData("311299Y902A")] // temporary individual number 900–999
    [InlineData("010101A123N")]
    [InlineData("290200A234V")] // 29 February 2000: a leap year
    [InlineData("290200B234V")]
    [InlineData("010203F456R")]
    [InlineData("121212E555D")]
    [InlineData("241023D9172")] // a digit as the check character
    [InlineData("150545+002C")] // the 1800s
    [InlineData("131052-308t")] // typed in lowercase
    public void A_valid_identity_code_is_recognised_and_masked(string code)
    {
        Assert.True(PersonalDataMasker.IsValidIdentityCode(code));
        Assert.Equal($"Minun tunnukseni on {PersonalDataMasker.IdentityCodeMarker}.", PersonalDataMasker.Mask($"Minun tunnukseni on {code}."));
    }

    [Theory]
    [InlineData("131052-308U", "wrong check character")]
    [InlineData("290200-234V", "29 February 1900 did not exist")]
    [InlineData("290201A2344", "29 February 2001 did not exist (check character right)")]
    [InlineData("320190-123M", "day 32 (check character right)")]
    [InlineData("011390-123A", "month 13 (check character right)")]
    [InlineData("000190-1230", "day 0 (check character right)")]
    [InlineData("131052Z308T", "Z is no century sign")]
    [InlineData("131052G308T", "G is no century sign")]
    [InlineData("010101A001R", "individual number 001 is never given (check character right)")]
    [InlineData("131052-3O8T", "a letter where a digit belongs")]
    public void Something_that_only_looks_like_an_identity_code_is_not_one(string code, string why)
    {
        Assert.False(PersonalDataMasker.IsValidIdentityCode(code), why);
        Assert.DoesNotContain(PersonalDataMasker.Find($"koodi {code} tässä"), m => m.Kind == PersonalDataKind.IdentityCode);
    }

    [Fact]
    public void An_identity_code_inside_a_longer_word_or_number_is_not_taken_apart()
    {
        Assert.Equal("ref X131052-308T", PersonalDataMasker.Mask("ref X131052-308T"));
        Assert.Equal("9131052-308T", PersonalDataMasker.Mask("9131052-308T"));
        Assert.Equal("131052-308TA", PersonalDataMasker.Mask("131052-308TA"));
    }

    [Theory]
    [InlineData("matti.meikalainen@example.fi")]
    [InlineData("Matti+kysely@Sub.Example.COM")]
    [InlineData("ääkkönen@esimerkki.fi")]
    [InlineData("matti(at)example.fi")]
    [InlineData("matti [at] example.fi")]
    [InlineData("matti @ example.fi")]
    public void Email_addresses_are_masked(string email)
    {
        Assert.Equal($"Kirjoita: {PersonalDataMasker.EmailMarker}. Kiitos", PersonalDataMasker.Mask($"Kirjoita: {email}. Kiitos"));
    }

    [Theory]
    [InlineData("040 123 4567")]
    [InlineData("0401234567")]
    [InlineData("040-1234567")]
    [InlineData("050 765 4321")]
    [InlineData("(09) 123 4567")]
    [InlineData("09-123 456")]
    [InlineData("+358 40 123 4567")]
    [InlineData("+358401234567")]
    [InlineData("+358 (0)40 123 4567")]
    [InlineData("00358 40 123 4567")]
    [InlineData("+46 8 123 456 78")]
    public void Phone_numbers_are_masked(string phone)
    {
        Assert.Equal($"Soita {PersonalDataMasker.PhoneMarker} iltaisin", PersonalDataMasker.Mask($"Soita {phone} iltaisin"));
    }

    [Theory]
    [InlineData("Kävin 3 kertaa viikossa vuonna 2023, ja odotin 45 minuuttia.")]
    [InlineData("Hinta oli 1 000 000 euroa eli 12,50 € kuussa.")]
    [InlineData("Aika 1.2.2024 klo 09:00-10:00, huone 0123.")]
    [InlineData("Asteikolla 0 - 10 annan 7.")]
    [InlineData("Osoite: Hämeenkatu 10 A 5, 33100 Tampere.")]
    [InlineData("Lähetä palautetta osoitteeseen @kunta tai #hashtag.")]
    [InlineData("Luku 131052-308 ilman tarkistetta.")]
    [InlineData("")]
    public void Ordinary_text_and_numbers_stay_as_they_are(string text)
    {
        Assert.Empty(PersonalDataMasker.Find(text));
        Assert.Equal(text, PersonalDataMasker.Mask(text));
    }

    [Fact]
    public void Several_kinds_in_one_text_are_each_masked_in_place()
    {
        var text = "Olen 010190-123M, puh. 0401234567, s-posti a.b@c.fi; toinen numero +358 50 111 2222.";

        var found = PersonalDataMasker.Find(text);

        Assert.Equal([PersonalDataKind.IdentityCode, PersonalDataKind.Phone, PersonalDataKind.Email, PersonalDataKind.Phone], found.Select(f => f.Kind));
        Assert.Equal("Olen [ID], puh. [PHONE], s-posti [EMAIL]; toinen numero [PHONE].", PersonalDataMasker.Mask(text));
    }

    [Fact]
    public void A_phone_number_written_as_an_email_local_part_is_masked_once_as_an_email()
    {
        Assert.Equal("[EMAIL]", PersonalDataMasker.Mask("0401234567@example.fi"));
    }

    [Fact]
    public void Masking_masked_text_changes_nothing()
    {
        var once = PersonalDataMasker.Mask("131052-308T 040 123 4567 x@y.fi");

        Assert.Equal(once, PersonalDataMasker.Mask(once));
        Assert.Equal("[ID] [PHONE] [EMAIL]", once);
    }
}
