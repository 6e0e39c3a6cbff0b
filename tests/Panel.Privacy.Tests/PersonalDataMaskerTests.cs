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

    [Theory]
    [InlineData("131052 308T", "a space")]
    [InlineData("131052\u2013308T", "an en dash")]
    [InlineData("131052\u2014308T", "an em dash")]
    [InlineData("131052\u2212308T", "a minus sign")]
    [InlineData("131052 - 308T", "a spaced hyphen")]
    [InlineData("131052308T", "nothing")]
    [InlineData("290200 234V", "a space; 29 February exists in 2000")]
    public void An_identity_code_with_something_else_in_place_of_the_century_sign_is_masked(string code, string why)
    {
        Assert.Equal("hetu [ID].", PersonalDataMasker.Mask($"hetu {code}."));
        Assert.Single(PersonalDataMasker.Find(code), m => m.Kind == PersonalDataKind.IdentityCode && m.Length == code.Length);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Theory]
    [InlineData("131052 308U")] // wrong check character
    [InlineData("131052\u2013308U")]
    [InlineData("131052308U")]
    public void Without_a_century_sign_a_wrong_check_character_is_still_no_identity_code_and_no_phone_number(string code)
    {
        Assert.Empty(PersonalDataMasker.Find($"koodi {code} tässä"));
    }

    [Fact]
    public void Ten_digits_starting_with_0_without_a_separator_are_a_phone_number_even_when_they_hold_an_identity_codes_check()
    {
        // Read as DDMMYY NNN C, "0401234583" is 4 January (19)23 or 2023, individual number 458, check character '3', which holds;
        // with a separator it is an identity code, written as ten digits it is a mobile number.
        Assert.True(PersonalDataMasker.IsValidIdentityCode("040123A4583"));
        Assert.Equal("[ID]", PersonalDataMasker.Mask("040123 4583"));
        Assert.Equal("[PHONE]", PersonalDataMasker.Mask("0401234583"));
    }

    [Theory]
    [InlineData("nimi at example dot fi")]
    [InlineData("nimi AT example DOT fi")]
    [InlineData("nimi [at] example [dot] fi")]
    [InlineData("nimi(at)example(dot)fi")]
    [InlineData("nimi ät example piste fi")]
    [InlineData("etu piste suku ät example piste fi")]
    [InlineData("nimi(a)example.fi")]
    [InlineData("nimi\uFF20example.fi")]
    [InlineData("nimi snabel-a exempel punkt se")]
    [InlineData("nimi@example piste fi")]
    [InlineData("nimi @ example . fi")]
    public void Spelled_out_email_addresses_are_masked(string email)
    {
        Assert.Equal("Kirjoita: [EMAIL]. Kiitos", PersonalDataMasker.Mask($"Kirjoita: {email}. Kiitos"));
    }

    [Theory]
    [InlineData("Meet me at the library at 5 pm.")]
    [InlineData("He works at Google dot com.")]
    [InlineData("Sain täydet pisteet, piste.")]
    [InlineData("Ät mer frukt, punkt slut.")]
    [InlineData("Valitsin vaihtoehdon (a) eli kyllä.")]
    [InlineData("Osoite @example.fi oli väärin.")]
    [InlineData("Katso www.example.fi/palaute.")]
    public void Sentences_with_at_dot_or_piste_are_not_addresses(string text)
    {
        Assert.Empty(PersonalDataMasker.Find(text));
    }

    [Theory]
    [InlineData("040.123.4567")]
    [InlineData("040/123 4567")]
    [InlineData("040\u2013123 4567")]
    [InlineData("358 40 123 4567")]
    [InlineData("+358.40.123.4567")]
    [InlineData("0800 123 456")]
    [InlineData("+49 (0)30 123 4567")]
    [InlineData("+1 (555) 123-4567")]
    public void Phone_numbers_in_other_spellings_are_masked(string phone)
    {
        Assert.Equal($"Soita {PersonalDataMasker.PhoneMarker} iltaisin", PersonalDataMasker.Mask($"Soita {phone} iltaisin"));
    }

    [Theory]
    [InlineData("Aika 01.02.2024 klo 09.00-10.00.")]
    [InlineData("Päivystys kiinni 01.02.-05.02.2024.")]
    [InlineData("Lomake 01/02/2024.")]
    [InlineData("Tilausnumero 0012345678 ei toiminut.")]
    [InlineData("Laskun numero 0034567890.")]
    [InlineData("Väkiluku 358 401 henkeä.")]
    [InlineData("Muutos +1 234 567 € vuodessa.")]
    [InlineData("Luvut 0 1 2 3 4 5 6 7 8 9.")]
    public void Dates_times_amounts_and_numbers_named_otherwise_are_no_phone_numbers(string text)
    {
        Assert.Empty(PersonalDataMasker.Find(text));
    }

    [Theory]
    [InlineData("FI21 1234 5600 0007 85")]
    [InlineData("FI2112345600000785")]
    [InlineData("fi21 1234 5600 0007 85")]
    [InlineData("FI21-1234-5600-0007-85")]
    [InlineData("SE45 5000 0000 0583 9825 7466")]
    [InlineData("GB29 NWBK 6016 1331 9268 19")]
    public void Ibans_are_masked(string iban)
    {
        Assert.True(PersonalDataMasker.IsValidIban(iban));
        Assert.Equal($"Tilille {PersonalDataMasker.IbanMarker}, kiitos", PersonalDataMasker.Mask($"Tilille {iban}, kiitos"));
    }

    [Theory]
    [InlineData("FI22 1234 5600 0007 85", "wrong check digits")]
    [InlineData("FI21 1234 5600 0007 86", "one digit changed")]
    [InlineData("FI21 1234 5600 0007 8", "too short for Finland")]
    [InlineData("RF18 5390 0754 7034", "a creditor reference, no country")]
    [InlineData("FI21 12345 600 0007 85", "not grouped in fours")]
    public void Something_that_only_looks_like_an_iban_is_not_one_nor_a_phone_number(string text, string why)
    {
        Assert.True(PersonalDataMasker.Find($"Tili {text}.").Count == 0, why);
    }

    [Theory]
    [InlineData('0', " ")]
    [InlineData('a', ".")]
    [InlineData('a', " at ")]
    [InlineData('a', " dot ")]
    [InlineData('1', "-")]
    [InlineData('F', "I2")]
    public void Long_repetitive_text_is_scanned_without_running_into_the_time_limit(char c, string separator)
    {
        var text = string.Join(separator, Enumerable.Repeat(new string(c, 3), 20_000));

        var found = Record.Exception(() => PersonalDataMasker.Find(text));

        Assert.Null(found);
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
