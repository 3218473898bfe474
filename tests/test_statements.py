"""Statement checks (summarise/stages/statements.py): each planted rewrite below passes the older
hard checks (no new name, number or quote) and is caught only by its statement check; the
faithful rewrites beside them pass."""
import pytest

from hang_guard import fails_if_still_running_after
from summarise.stages.statements import (dangling_pronoun, dropped_attribution, first_person, repeats_itself,
                                         reported_first_person, unheard_speakers)
from summarise.stages.verify import hard_problems

PLANTED = [
    # facts recombined across clauses: who won which year
    ("New Zealand Endeavour trumped the locals in 1992, Sayonara won in 1995.",
     "New Zealand Endeavour won the race in 1995.", "ties a number to another subject"),
    ("Fields had been with Ford since 1989, working his way up to COO in 2012 and CEO in 2014.",
     "Fields became CEO of Ford in 2012.", "ties a number to another subject"),
    ("Growth is forecast at 2.6 percent in 1999, 2.8 percent in 2000 and 3.0 percent in 2001.",
     "Growth of 2.6 percent is forecast for 2000.", "ties a number to another subject"),
    ("Some 2,000 athletes will take part, and about 213,000 visitors are expected to come to Sochi.",
     "Some 213,000 athletes will take part in Sochi.", "ties a number to another subject"),
    # a reason the evidence does not give; someone's thing given to another
    ("The singer, 40, already famous for her hit records, has never toured in Asia.",
     "The singer, 40, has never toured in Asia, as she is already famous for her hit records.",
     "adds a cause the evidence does not give"),
    ("The boy's mother said her lawyers would appeal, and the actor declined to comment.",
     "The actor declined to comment, and his lawyers would appeal, the boy's mother said.", "changes whose it is"),
    # predictions and plans stated as facts
    ("Donald Trump is expected to announce that he plans to recognize Jerusalem as Israel's capital on Wednesday.",
     "Donald Trump recognized Jerusalem as Israel's capital on Wednesday.", "states a plan or forecast as fact"),
    ("West said he was arrested without incident, and is expected to appear in court tomorrow.",
     "West said the man was arrested without incident and appeared in court.", "states a plan or forecast as fact"),
    ("Three schools said they would open their dormitories a day early, on Friday.",
     "Three schools opened their dormitories a day early, on Friday.", "states a plan or forecast as fact"),
    ("2 subspecies of lion will be added to the endangered species list, activists say.",
     "2 subspecies of lion have been added to the endangered species list.", "states a plan or forecast as fact"),
    # hedges and attributions dropped
    ("Clashes in Cairo last month left at least 17 people dead.",
     "Clashes in Cairo last month left 17 people dead.", "drops a hedge"),
    ("In May, water was cut off to about 4,500 customers.",
     "In May, water was cut off to 4,500 customers.", "drops a hedge"),
    ("Without the road, its backers say, residents must continue to rely on the ferry.",
     "Without the road, residents must continue to rely on the ferry.", "drops the attribution"),
    ("Alleged Nazi war criminal Vladimir Katriuk has died in Quebec.",
     "Nazi war criminal Vladimir Katriuk has died in Quebec.", "drops the attribution"),
    ("Based on its remains, scientists say the dinosaur's head and chest seem to have been covered with feathers.",
     "Scientists say the dinosaur's head and chest were covered with feathers.", "drops a hedge"),
    ("As many as two-dozen people saw the attack without notifying police over the next two hours.",
     "Two dozen people saw the attack without notifying police.", "drops a hedge"),
    ("\u201cSometimes I lost hope,\u201d Faraj said.", "Faraj said he had lost hope.", "drops a hedge"),
    # someone's words (a quote split from its "she said", a first-person passage) in no one's voice
    ("\u201cAll of that behavior needs to be confronted, but there is a continuum.",
     "All of that behavior needs to be confronted, but there is a continuum.", "drops the attribution"),
    ("I quit drugs and am happy and sober for the first time in 8 years.",
     "I quit drugs and am happy and sober for the first time in 8 years.", "drops the attribution"),
    ("This administration is running like a fine-tuned machine.\u201d",
     "The administration is running like a fine-tuned machine.", "drops the attribution"),
    # what a framed passage reports, given as the writer's own act ("wrote" is the reported fact)
    ("Mikhail Kalashnikov wrote a long emotional letter to Patriarch Kirill in May 2012, church officials say.",
     "Mikhail Kalashnikov wrote a long emotional letter to Patriarch Kirill in May 2012.", "drops the attribution"),
    # negation flipped
    ("Police know the identity of the driver, but she had not been arrested as of Sunday, according to Sullivan.",
     "According to Sullivan, the driver was arrested on Sunday.", "negation differs from the evidence"),
    ("Simpson was found not guilty by a Los Angeles jury in 1995.",
     "Simpson was found guilty by a Los Angeles jury in 1995.", "negation differs from the evidence"),
    ("A body camera worn by one deputy captured parts of the shooting, Salazar said.",
     "Salazar said no body camera captured the shooting.", "negation differs from the evidence"),
    # who does what swapped by a change of voice (the first one the seeds briefing shipped, judge 0.98)
    ("President Vladimir Putin accused Western nations of ignoring key Russian security concerns.",
     "Russian President Vladimir Putin is accused of ignoring key Russian security concerns.", "swaps who does what"),
    ("Entered as a wild card, Sweeting defeated Kei Nishikori 6-4, 7-6 (7-3) in Houston.",
     "Sweeting was defeated by Kei Nishikori 6-4, 7-6 (7-3) in Houston.", "swaps who does what"),
    ("Mubarak was succeeded by military generals beholden to the former leader.",
     "Mubarak succeeded the military generals beholden to the former leader.", "swaps who does what"),
    # what a fourth reading found (2026-12-05): a hedge of degree dropped; a return stated as expected
    ("Jamie has overseen Britney's life pretty much without complaint for more than five years.",
     "Jamie has overseen Britney's life without complaint for more than five years.", "drops a hedge"),
    ("Leave it to Serena Williams to come back to tennis in style.",
     "Serena Williams is expected to come back to tennis in style.", "adds a plan or forecast the evidence does not have"),
    # what the verifier's labelled set still missed (2026-12-06): a year given to the other title of
    # one sentence; an orbit "as predicted"; two facts joined as cause and effect
    ('Bacall won Tony Awards for her roles in "Applause" in 1970 and "Woman of the Year" in 1981.',
     'Bacall won a Tony Award for "Woman of the Year" in 1970.', "ties a number to another subject"),
    ("The probe will eventually orbit within 3.7 million miles of the sun's surface.",
     "The probe will eventually orbit within 3.7 million miles of the sun's surface, as predicted.",
     "adds a plan or forecast the evidence does not have"),
    ("Seattle's soda tax is particularly burdensome, and people are not drinking the Kool-Aid on this one.",
     "Seattle's soda tax is particularly burdensome, as it has led to people not drinking the Kool-Aid.",
     "adds a cause the evidence does not give"),
    ("Sales fell 8 percent in March, and the company cut 200 jobs.",
     "The company cut 200 jobs because sales fell 8 percent in March.", "adds a cause the evidence does not give"),
]
# one outlet's words credited to another that the evidence names only for something else
MISATTRIBUTED = (["The most famous lion in Kenya died a horrific, agonising and senseless death.",
                  "A lion was shot dead in Kenya on Wednesday (Associated Press)."],
                 "The most famous lion in Kenya died a horrific, agonising and senseless death, according to the "
                 "Associated Press.")

FAITHFUL = [
    ("The road is sometimes closed in winter, officials said.",
     "Officials said the road is sometimes closed in winter."),
    ("New Zealand Endeavour trumped the locals in 1992, Sayonara won in 1995.",
     "Sayonara won in 1995, after New Zealand Endeavour's win in 1992."),
    ("Fields had been with Ford since 1989, working his way up to COO in 2012 and CEO in 2014.",
     "Fields joined Ford in 1989 and became COO in 2012 and CEO in 2014."),
    ("He became a journalism instructor at Red River College in 2002 and resigned in 2011.",
     "He taught journalism at Red River College from 2002 until he resigned in 2011."),
    ("Donald Trump is expected to announce that he plans to recognize Jerusalem as Israel's capital on Wednesday.",
     "Donald Trump is expected to announce on Wednesday that he plans to recognize Jerusalem as Israel's capital."),
    ("Clashes in Cairo last month left at least 17 people dead.",
     "At least 17 people died in clashes in Cairo last month."),
    ("Israel's Cabinet on Friday approved the activation of up to 75,000 reservists, spokesman Mark Regev said.",
     "Israel's Cabinet on Friday approved calling up to 75,000 reservists, spokesman Mark Regev said."),
    ("A convention-goer, Jeff Martin, said he was unable to cross the Strip after the attack.",
     "Jeff Martin said he could not cross the Strip after the attack."),
    ("Police said the 45-year-old was arrested on Monday.",
     "The 45-year-old was arrested on Monday, police said."),
    ("Police arrested the man, who appeared to be drunk, on Monday.",
     "Police arrested the man on Monday."),
    ('"Men with all these opinions reveal themselves to be utterly tone deaf," she wrote.',
     "She wrote that men with all these opinions reveal themselves to be utterly tone deaf."),
    ('"We will not give up," she tweeted on Monday.',
     "She tweeted on Monday that they will not give up."),
    ("The council, which was accused of fraud, said it would appeal.",
     "The council was accused of fraud."),
    ('"We will not give up," the mayor said on Monday.',
     'The mayor said on Monday: "We will not give up."'),
    # the same roles in the other voice, and passives with their "is" left out ("sales expected")
    ("Entered as a wild card, Sweeting defeated Kei Nishikori 6-4, 7-6 (7-3) in Houston.",
     "Kei Nishikori was defeated 6-4, 7-6 (7-3) by wild card Sweeting in Houston."),
    ("Mubarak was succeeded by military generals beholden to the former leader.",
     "Military generals beholden to the former leader succeeded Mubarak."),
    ("The prize swelled to $586 million, with another spike in sales expected Tuesday.",
     "The prize grew to $586 million, and another spike in sales was expected Tuesday."),
    ("The minister, accused of fraud by Smith, denied it.",
     "Smith accused the minister of fraud, which the minister denied."),
    ("Jamie has overseen Britney's life pretty much without complaint for more than five years.",
     "For more than five years, Jamie has pretty much overseen Britney's life without complaint."),
    ("Serena Williams is expected to come back to tennis in style.",
     "Serena Williams is expected to return to tennis in style."),
    # a cause the evidence gives in its own words; a forecast the evidence makes; a year with each title
    ("The storm forced the airport to close on Sunday.", "The airport closed on Sunday because of the storm."),
    ("Sales fell 8 percent in March after the recall, which prompted the company to cut 200 jobs.",
     "The company cut 200 jobs as a result of the recall."),
    ("The probe reached the sun's corona in December, as scientists had predicted.",
     "The probe reached the sun's corona in December, as predicted."),
    ('Bacall won Tony Awards for her roles in "Applause" in 1970 and "Woman of the Year" in 1981.',
     'Bacall won a Tony Award for "Applause" in 1970.'),
    # a reason given with "as" that the evidence gives too; "as" of time; the same owner
    ("The senator, who was already unpopular as he had voted for the tax, lost his seat.",
     "The senator lost his seat, as he had voted for the tax."),
    ("The mayor spoke to reporters as he was leaving city hall on Monday.",
     "The mayor spoke to reporters on Monday, as he was leaving city hall."),
    ("The coach thanked her players and his assistant after the final.",
     "After the final, the coach thanked his assistant."),
]


@pytest.mark.parametrize("evidence, claim, note", PLANTED)
def test_a_statement_check_catches_what_the_older_checks_pass(evidence, claim, note):
    assert hard_problems(claim, [evidence], checks=()) == []
    assert any(p.startswith(note) for p in hard_problems(claim, [evidence])), hard_problems(claim, [evidence])


def test_words_credited_to_a_source_whose_passage_does_not_hold_them():
    evidence, claim = MISATTRIBUTED
    assert hard_problems(claim, evidence, checks=(), standalone=False) == []
    assert any(p.startswith("credits the wrong source") for p in hard_problems(claim, evidence, standalone=False))


def test_an_attribution_closing_the_sentence_must_state_the_clause_it_closes():
    evidence = ["The mayor spoke to reporters after touring the flooded district, where the two officials agreed on "
                "new levees.",
                "On Tuesday the mayor gave an update after touring the flooded district, the Daily Post reported."]
    joined = ("The mayor spoke to reporters after touring the flooded district, where the two officials agreed on new "
              "levees, the Daily Post reported.")
    assert hard_problems(joined, evidence, checks=(), standalone=False) == []
    assert any(p.startswith("credits the wrong source: 'Daily Post' does not state")
               for p in hard_problems(joined, evidence, standalone=False))
    faithful = "The mayor gave an update on Tuesday after touring the flooded district, the Daily Post reported."
    assert hard_problems(faithful, evidence, standalone=False) == []


def test_two_clauses_each_credited_to_the_source_that_says_it_pass():
    evidence = ["A pump on one of the station's two external cooling loops shut down after hitting a temperature "
                "limit, NASA said.",
                "One of the station's two external cooling loops, known as Loop-A, shut down when it reached a "
                "pre-set temperature limit on Wednesday, Byerly told NBC News."]
    claim = ("A pump on one of the station's two cooling loops shut down after hitting a temperature limit, NASA "
             "said, and Loop-A shut down on Wednesday, Byerly told NBC News.")
    assert hard_problems(claim, evidence, standalone=False) == []


@pytest.mark.parametrize("evidence, claim", FAITHFUL)
def test_a_faithful_rewrite_passes_the_statement_checks(evidence, claim):
    # support only: a claim opening with "He" is faithful, though no briefing would ship it alone
    assert hard_problems(claim, [evidence], standalone=False) == []


def test_an_unattributed_passage_supports_an_unattributed_claim():
    evidence = ["Police said the bridge was closed on Monday.", "The bridge was closed on Monday."]
    assert hard_problems("The bridge was closed on Monday.", evidence) == []
    assert hard_problems("The bridge was closed on Monday.", evidence[:1])


def test_a_passage_that_never_mentions_the_hedged_words_does_not_unhedge_them():
    # the fifth review's data (2026-12-06): 'probably had invaded' shipped as 'invaded'
    evidence = ["Oakleigh came down with a bacterial infection.",
                "Oakleigh had a severe UTI that probably had invaded her kidneys."]
    assert any(p.startswith("drops a hedge") for p in hard_problems(
        "Oakleigh had a severe UTI that invaded her kidneys.", evidence))
    flat = evidence + ["Doctors found the infection had invaded her kidneys."]
    assert hard_problems("Oakleigh had a severe UTI that invaded her kidneys.", flat, standalone=False) == []


def test_a_reporting_frame_copied_from_inside_a_quote_attributes_nothing():
    # the fifth review (2026-12-06): the speaker's own "he's told us" passed for an attribution
    evidence = ['"Kanye is the greatest living artist on the planet, he\'s told us many many times," Piatt told Mashable.']
    claim = "Kanye is the greatest living artist on the planet, he has told us many many times."
    assert any(p.startswith("drops the attribution") for p in hard_problems(claim, evidence))
    assert hard_problems("Piatt told Mashable that Kanye has told us many many times he is the greatest living "
                         "artist on the planet.", evidence, standalone=False) == []


def test_a_transcript_line_is_its_speakers_words():
    evidence = ["JON STEWART: Ben walked into a buzz saw."]
    assert any(p.startswith("drops the attribution") for p in hard_problems("Ben walked into a buzz saw.", evidence))
    assert hard_problems("Jon Stewart said Ben walked into a buzz saw.", evidence, standalone=False) == []
    assert hard_problems("NASA said the probe is safe.", ["NASA said the probe is safe."]) == []


def test_a_number_stated_flat_anywhere_in_the_evidence_needs_no_hedge():
    evidence = ["At least 17 people died, officials said.", "The toll rose to 17 on Tuesday, officials said."]
    assert not any(p.startswith("drops a hedge") for p in hard_problems("Officials said 17 people died.", evidence))


@pytest.mark.parametrize("evidence, claim", [
    # a sentence may open with a preposition or a number word the evidence does not capitalise
    ("Montpelier has about 7,500 residents, making it the nation's least populous capital.",
     "With about 7,500 residents, Montpelier is the nation's least populous capital."),
    ("Activists say 2 subspecies of lion will be added to the endangered species list.",
     "Two subspecies of lion will be added to the endangered species list, activists say."),
    # quantities and times are no judgement, though TextBlob's lexicon lists them
    ("Fields had been with Ford since 1989, working his way up to COO in 2012 and CEO in 2014.",
     "Fields joined Ford in 1989 and rose to COO in 2012 and to CEO in 2014."),
    ("Israel's Cabinet on Friday approved the activation of up to 75,000 reservists, spokesman Mark Regev said.",
     "Israel's Cabinet approved calling up as many as 75,000 reservists on Friday, spokesman Mark Regev said."),
    # two quotations in one sentence: the words between them are no quotation
    ('She won Tony Awards for her roles in "Applause" in 1970 and "Woman of the Year" in 1981.',
     'She won Tony Awards for "Applause" in 1970 and for "Woman of the Year" in 1981.'),
])
def test_the_older_checks_pass_these_faithful_rewrites(evidence, claim):
    assert hard_problems(claim, [evidence], standalone=False) == []


def test_the_adjective_of_a_named_place_is_no_new_name():
    evidence = ["Hamas wants guarantees that a blockade by Israel and Egypt will be lifted."]
    assert hard_problems("Hamas wants guarantees that the Israeli and Egyptian blockade will be lifted.", evidence) == []
    assert hard_problems("Hamas wants guarantees that the Syrian blockade will be lifted.", evidence)


def test_a_hedged_description_elsewhere_in_the_sentence_does_not_attribute_the_whole_sentence():
    evidence = ['Greg Gianforte, who was accused of "body slamming" a reporter, pleaded guilty to misdemeanor assault Monday.']
    assert hard_problems("Greg Gianforte pleaded guilty to misdemeanor assault on Monday.", evidence) == []
    assert hard_problems("The gunman fled.", ["The alleged gunman fled, police said."])


@pytest.mark.parametrize("evidence, claim", [
    ("He is expected to propose a new test for admission to the country.", "He proposed a new test for admission to the country."),
    ("About 213,000 visitors are expected to come to Sochi.", "About 213,000 visitors came to Sochi."),
])
def test_a_plan_stated_as_done_with_the_plan_verb_itself_or_an_irregular_past(evidence, claim):
    assert any(p.startswith("states a plan or forecast as fact") for p in hard_problems(claim, [evidence]))


def test_a_hedge_word_used_as_a_verb_hedges_nothing():
    # "accused" after a name is the verb: the claim keeps who accused whom
    evidence = ["President Vladimir Putin accused Western nations of ignoring key Russian security concerns."]
    assert dropped_attribution("Putin accuses Western nations of ignoring Russian security concerns.", evidence) == []
    assert dropped_attribution("The gunman fired twice.", ["The alleged gunman fired twice, police said."])


@pytest.mark.parametrize("evidence, claim", [
    # the possibility's object, not its verb: "could lead to fines" -> "are fined"
    ("The new rule could lead to fines for drivers who park on the pavement.",
     "Under the new rule, drivers who park on the pavement are fined."),
    # a verb two steps under the modal: "will be deployed to clear" -> "cleared"
    ("Some 300 volunteers will be deployed to clear the beaches after the spill.",
     "Some 300 volunteers cleared the beaches after the spill."),
])
def test_words_the_evidence_uses_only_under_a_modal_stated_as_done(evidence, claim):
    assert hard_problems(claim, [evidence], checks=()) == []
    assert any(p.startswith("states a plan or forecast as fact") for p in hard_problems(claim, [evidence]))


@pytest.mark.parametrize("evidence, claim", [
    ("The new rule could lead to fines for drivers who park on the pavement.",
     "Drivers who park on the pavement could be fined under the new rule."),
    ("Some 300 volunteers cleared the beaches, and more will be deployed next week.",
     "Some 300 volunteers cleared the beaches."),
])
def test_a_possibility_kept_or_a_fact_stated_outside_it_passes(evidence, claim):
    assert hard_problems(claim, [evidence]) == []


@pytest.mark.parametrize("evidence, claim", [
    ("The blast prompted allegations from residents that the plant had ignored safety rules.",
     "The plant had ignored safety rules."),
    ("The fire was started deliberately, the first findings suggest.", "The fire was started deliberately."),
])
def test_an_accusation_or_a_suggestion_stated_as_fact(evidence, claim):
    assert hard_problems(claim, [evidence], checks=()) == []
    assert any(p.startswith("drops the attribution") for p in hard_problems(claim, [evidence]))


def test_an_accusation_kept_as_one_passes():
    evidence = ["The blast prompted allegations from residents that the plant had ignored safety rules."]
    assert hard_problems("Residents alleged that the plant had ignored safety rules.", evidence) == []


@pytest.mark.parametrize("sentence", [
    "He told reporters the talks would resume on Friday.",
    "They fled across the border before dawn.",
    "On Tuesday, she resigned from the board.",
    "Late last year, it recalled 40,000 cars.",
    "His lawyer filed an appeal.",
    "This means the vote will be delayed.",
    "These include two hospitals and a school.",
    "It was destroyed in the fire.",
    "It is riddled with debt and has cut its staff to fewer than 40 people.",  # no clause it stands for
    "This complicates the search for survivors.",
    "That was the third such attack this year.",
    "That prompted an outcry from residents.",
    "These figures come from the health ministry.",  # which figures? the sentence before said
    "These cases coincided with a national outbreak of respiratory disease.",
])
def test_a_sentence_opening_with_a_pronoun_that_refers_to_no_one_is_rejected(sentence):
    assert dangling_pronoun(sentence)
    assert any(p.startswith("dangling pronoun") for p in hard_problems(sentence, [sentence]))


@pytest.mark.parametrize("sentence", [
    "It is unclear whether the bridge will reopen.",  # "it" stands for what follows
    "It took rescuers ten hours to reach the village.",
    "It’s not unusual for the river to flood in spring.",
    "This crisis has forced 3,000 people from their homes.",
    "This week, the council approved the budget.",  # a demonstrative before its noun
    "These days, most voters cast their ballots by mail.",
    "Those killed included two firefighters.",
    "That decision was made by the board on Monday.",
    "That he survived the fall surprised doctors.",  # "That" opens a clause, not a reference
    "After police arrived, they found the driver.",  # the opening phrase names who
    "The mayor said he would not resign.",
    "Thousands marched in Paris on Saturday.",
])
def test_a_pronoun_with_an_antecedent_or_an_expletive_it_reads_alone(sentence):
    assert dangling_pronoun(sentence) is None
    assert hard_problems(sentence, [sentence]) == []


def test_a_sentence_that_says_one_thing_twice_is_rejected_as_unreadable():
    twice = ("Lion Sylvester escaped from Karoo National Park in South Africa, and officials said it broke out of "
             "a national park in South Africa.")
    evidence = ["In South Africa, a lion named Sylvester had escaped from Karoo National Park.",
                "Sylvester the lion broke out of a national park in South Africa, officials said."]
    assert repeats_itself(twice)
    assert "says the same thing twice" in hard_problems(twice, evidence)
    assert "says the same thing twice" not in hard_problems(twice, evidence, standalone=False)  # support only


@pytest.mark.parametrize("sentence", [
    "The annual probability of an anomaly is around 10 percent, and the annual probability of a failure is about 1 percent.",
    "Police arrested two men on Monday and charged them with the murder of a shopkeeper in the old town.",
    "Putin met Orban in Moscow on Tuesday, and the two leaders reaffirmed their alliance over gas supplies.",
])
def test_a_sentence_whose_parts_state_different_things_does_not_repeat_itself(sentence):
    assert not repeats_itself(sentence)


def test_citation_pruning_and_support_figures_ignore_readability():
    sentence = "He resigned on Monday."
    assert hard_problems(sentence, [sentence], standalone=False) == []


@pytest.mark.parametrize("text, speaker", [
    ("I quit drugs and am happy.", "I"), ("Part of our work in Lumos is to shed light on them.", "our"),
    ('"I promise," she said.', None), ('I promise," she said.', None),  # closes a quote opened before
    ("\u201cI'll always be here for you guys, I promise.", None), ("The World War I veteran died.", None),
    ("The US and its allies met in Brussels.", None), ('Kerry said: "My goal was not to apologize."', None),
])
def test_first_person_outside_quotation_marks(text, speaker):
    assert first_person(text) == speaker


def test_a_question_backs_nothing_and_a_source_counted_out_is_about_the_sources():
    evidence = ["Fetal alcohol spectrum disorders are caused by drinking alcohol during pregnancy.",
                "IS THERE A TEST FOR FETAL ALCOHOL SYNDROME AT THREE MONTHS IN UTERO?"]
    claim = "Fetal alcohol spectrum disorders are caused by drinking, and there is a test at three months in utero."
    assert "number word 'three' not in the evidence" in hard_problems(claim, evidence)
    assert "talks about the sources instead of the news" in hard_problems(
        "A tax may come, as described in the first source.", ["A tax may come."])


@pytest.mark.parametrize("evidence, claim", [
    # what the soldiers announced, stated as done, beside a passage that states the storming
    (["Rebels stormed the radio station and announced on Friday that they had taken control of the port city.",
      "Rebels stormed the radio station early on Friday."],
     "Rebels stormed the radio station and took control of the port city on Friday."),
    # an outlet's report, citing unnamed sources, stated as fact beside a passage of plain fact
    (["The ministry already raised fuel duty by 5% in March.",
      "The Gazette reported, citing two unnamed officials, the ministry would double the levy on imported cars next year."],
     "The ministry already raised fuel duty by 5% in March, and it would double the levy on imported cars next year."),
])
def test_a_clause_only_someones_report_gives_stated_as_fact(evidence, claim):
    problems = dropped_attribution(claim, evidence)
    assert problems and problems[0].startswith("the evidence only reports someone saying it"), problems


@pytest.mark.parametrize("evidence, claim", [
    (["Rebels stormed the radio station and announced on Friday that they had taken control of the port city.",
      "Rebels stormed the radio station early on Friday."],
     "Rebels announced on Friday that they had taken control of the port city after storming the radio station."),
    (["The Gazette reported, citing two unnamed officials, the ministry would double the levy on imported cars next year."],
     "The ministry would double the levy on imported cars next year, the Gazette reported."),
    # the reported clause copied with its frame, and a fact only a plain passage states
    (["The ministry already raised fuel duty by 5% in March, the Gazette reported on Monday."],
     "The ministry already raised fuel duty by 5% in March, the Gazette reported on Monday."),
])
def test_a_reported_clause_that_keeps_its_frame_passes(evidence, claim):
    assert dropped_attribution(claim, evidence) == []


def test_reports_as_a_noun_frame_nothing():
    # "when reports of ... were rare" is no one's report closing the sentence
    evidence = ["The girl's disappearance made headlines across the country in the 1950s, when reports of abductions were rare.",
                "Police searched the hills for weeks."]
    assert dropped_attribution("The girl's disappearance made headlines across the country in the 1950s.", evidence) == []


@pytest.mark.parametrize("evidence, claim", [
    # a friend's guess about Anna given to Anna
    (['"I think it is something Anna has wanted for years," a friend told the Daily Post.'],
     "Anna said it was something she had wanted for years."),
    # a photo credit made a report
    (["Jon Smit / Reuters file The harbour is seen at dawn in May."],
     "The harbour is seen at dawn in May, as reported by Jon Smit / Reuters."),
    # the actor did it; no one says the actor said so
    (["An unnamed protester has climbed the tower and hung a banner from its top."],
     "An unnamed protester said they had climbed the tower and hung a banner from its top."),
])
def test_a_speaker_who_says_nothing_in_the_evidence(evidence, claim):
    assert unheard_speakers(claim, evidence), claim
    assert any(p.startswith("credits the wrong source") for p in hard_problems(claim, evidence))


@pytest.mark.parametrize("evidence, claim", [
    (['"The defence has run out of time," said the prosecutor, whose remarks filled the hearing.'],
     "The prosecutor said the defence had run out of time."),
    (["Metro News has learned that the mayor will not seek a third term."],
     "The mayor will not seek a third term, according to Metro News."),
    (["Researchers studied records from 2001 to 2010 and found that one in nine patients was under 40."],
     "One in nine patients was under 40, according to researchers who studied records from 2001 to 2010."),
    # a pronoun speaker is the older checks' business
    (['"We will rebuild," she said.'], "She said they would rebuild."),
])
def test_a_speaker_who_speaks_in_the_evidence_passes(evidence, claim):
    assert unheard_speakers(claim, evidence) == []


@pytest.mark.parametrize("evidence, claim, problem", [
    # a request is not a reporting frame: the landlord's reason is still only his to give
    (["The landlord says he cannot pay his staff without the grant, so he is asking the council to release it."],
     "The landlord has asked the council to release the grant, as he cannot pay his staff without it.",
     "drops the attribution"),
    # a perception stated as fact
    (["The new tram line is seen as the city's answer to traffic jams, which have doubled since 2010."],
     "The new tram line is the city's answer to traffic jams.", "drops a hedge"),
    # the police heard it; they did not say it
    (["Police were told that the driver had fled on foot."],
     "The driver had fled on foot, as reported by police.", "credits the wrong source"),
    # one passage's figure, credited to the institute another passage quotes
    (["The plant can produce up to 300 tonnes of steel a day and 500 tonnes at full shift.",
      "According to the Steel Institute, the region has the third largest output in Europe."],
     "The plant can produce up to 300 tonnes of steel a day and 500 tonnes at full shift, according to the "
     "Steel Institute, which says the region has the third largest output in Europe.", "credits the wrong source"),
])
def test_requests_perceptions_listeners_and_a_credit_inside_the_sentence(evidence, claim, problem):
    assert any(p.startswith(problem) for p in hard_problems(claim, evidence)), hard_problems(claim, evidence)


@pytest.mark.parametrize("evidence, claim", [
    (["The landlord says he cannot pay his staff without the grant, so he is asking the council to release it."],
     "The landlord says he cannot pay his staff without the grant and has asked the council to release it."),
    (['"Where is the money?" the mayor asked at the meeting.'], 'The mayor asked: "Where is the money?"'),
    (["The new tram line is seen as the city's answer to traffic jams, which have doubled since 2010."],
     "The new tram line is seen as the city's answer to traffic jams."),
    (["Officers said they were told that the driver had fled on foot."], "Officers said the driver had fled on foot."),
    (["The plant can produce up to 300 tonnes of steel a day.",
      "According to the Steel Institute, the region has the third largest output in Europe."],
     "The plant can produce up to 300 tonnes of steel a day, and the region has the third largest output in "
     "Europe, according to the Steel Institute."),
])
def test_the_same_facts_kept_as_the_evidence_gives_them_pass(evidence, claim):
    assert hard_problems(claim, evidence) == []


def test_a_sentence_in_capitals_is_checked_at_all():
    # a TV transcript shouts ("THEY FOUND A MOTHER WHO WAS NOT COOPERATIVE ..."); the speaker pattern
    # once split runs of capitals in exponentially many ways, and such a sentence never finished.
    shouted = "OFFICERS AND CHILD PROTECTIVE SERVICES TRIED TO GET HER TO COME TO THE DOOR FOR AN HOUR, police said."
    with fails_if_still_running_after(60, "the statement checks did not finish"):
        assert hard_problems(shouted, [shouted]) == []


@pytest.mark.parametrize("sentence, pronoun", [
    ("The mayor said the flood was the worst since 1990 and we must rebuild the bridge first.", "we"),
    ("The coach said that here I have a team that never gives up.", "I"),
])
def test_a_quote_made_indirect_speech_that_keeps_its_we_is_unreadable(sentence, pronoun):
    assert reported_first_person(sentence) == pronoun
    evidence = [f'"{sentence.split(" said ", 1)[1]}" the speaker said.']
    assert any(p.startswith("keeps the speaker's") for p in hard_problems(sentence, evidence))


@pytest.mark.parametrize("sentence", [
    'The mayor said: "We must rebuild the bridge first."',
    "The mayor said the city must rebuild the bridge first.",
    "The study's author said looking at birds could tell us how dinosaurs sang.",  # "us" as anyone
    "Veterans of World War I said the memorial should stay.",
])
def test_a_quote_kept_or_turned_into_the_third_person_reads_alone(sentence):
    assert reported_first_person(sentence) is None
