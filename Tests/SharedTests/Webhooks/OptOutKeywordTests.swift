import Shared
import Testing

@Suite("SMS opt-out keywords")
struct OptOutKeywordTests {
    @Test(arguments: [
        ("STOP", "STOP", OptOutKeyword.Action.optOut),
        ("stop", "STOP", .optOut),
        ("  Stop \n", "STOP", .optOut),
        ("\tStopAll\r\n", "STOPALL", .optOut),
        ("unsubscribe", "UNSUBSCRIBE", .optOut),
        ("Cancel", "CANCEL", .optOut),
        ("end", "END", .optOut),
        ("QUIT", "QUIT", .optOut),
        ("revoke", "REVOKE", .optOut),
        ("OptOut", "OPTOUT", .optOut),
        ("START", "START", .optIn),
        ("yes", "YES", .optIn),
        (" Unstop ", "UNSTOP", .optIn),
    ])
    func keywords(message: String, word: String, action: OptOutKeyword.Action) {
        let keyword = OptOutKeyword(message: message)
        #expect(keyword?.word == word)
        #expect(keyword?.action == action)
    }

    @Test(arguments: [
        "", "   ", "OPT OUT", "STOP PLEASE", "please stop", "PLEASE CANCEL", "stop.", "STOP!", "\"stop\"", "STOPP", "STO",
        "HELP", "INFO", "YES!", "yes please", "S T O P", "ST\u{200B}OP",
        // Not ASCII: a long s upper-cases to S, full-width letters, a Hebrew word.
        "\u{17F}top", "ＳＴＯＰ", "הסר",
    ])
    func otherMessagesAreNotKeywords(message: String) {
        #expect(OptOutKeyword(message: message) == nil)
    }

    @Test func theWordLists() {
        #expect(OptOutKeyword.optOutWords == ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"])
        #expect(OptOutKeyword.optInWords == ["START", "YES", "UNSTOP"])
        #expect(OptOutKeyword.optOutWords.isDisjoint(with: OptOutKeyword.optInWords))
    }
}
