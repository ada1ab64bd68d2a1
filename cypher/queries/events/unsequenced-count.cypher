// replan=skip
// Whether any committed event still waits for its `seq` (the label's count: the count store, no scan).
MATCH (e:UnsequencedEvent)
RETURN count(e) AS waiting
