-- A harmless module the corpus may require.
return { answer = 42 }
